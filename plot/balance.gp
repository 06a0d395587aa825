# balance.gp - reclamation balance: per scheme, each thread's share of the
# nodes reclaimed (bars, threads 0..T-1 left to right), and the share freed
# outside the benchmark threads (hatched: a library's own thread, such as
# liburcu's call_rcu worker, or a count kept only for the whole domain);
# summed over the ok repetitions, at each (structure, mix)'s most threads.
# Schemes that freed nothing (none) have no shares: a note names them.
# Usage: gnuplot -e "dir='results/X'" plot/balance.gp (see common.gp).
dirname(s) = strlen(s) == 0 || s[strlen(s):strlen(s)] eq "/" ? s : dirname(s[1:strlen(s) - 1])
here = dirname(ARG0)
if (ARGC >= 1) { out = ARG1 }
load here . "common.gp"
if (bal_n == 0) { print "balance.gp: no reclamation counts in ", data; exit }

name = "balance"
fig_title = "Who reclaims: share per thread" . (reps > 1 ? sprintf(", sum of %d runs", reps) : "")
# A panel per structure and mix, two to a row; with several machines a
# row per structure and mix, a column per machine (common.gp's place).
ncol = machines > 1 ? machines : bal_n < 2 ? bal_n : 2
nrow = machines > 1 ? bal_rows : (bal_n + ncol - 1) / ncol
any_other = 0
do for [i = 1:bal_n] { any_other = any_other || bal_other[i] }
other_title = "freed outside the benchmark threads"
nofree_title = "not shown, freed nothing: " . bal_nofree
has_legend = 1
legend_n = 2 + any_other + (strlen(bal_nofree) > 0)
legend_len = strlen(bal_nofree) > 0 ? strlen(nofree_title) : any_other ? strlen(other_title) : 24
eval fit_entries

do for [fmt in "png svg pdf"] {
    eval begin_figure
    do for [i = 1:bal_n] {
        pos = bal_cell[i]
        eval place
        eval panel_style
        set title bal_title[i]
        set ylabel "share of nodes reclaimed (%)"
        set yrange [0:105]
        set ytics 0, 25, 100
        tic_words = bal_schemes[i]
        eval name_tics
        even = 100.0 / bal_threads[i]
        plot data . "/balance.dat" index (i - 1) \
                 using 1:($4 >= 0 ? $2 : NaN):3:(scol(word(tic_words, int($5)))) \
                 with boxes fs solid 0.85 border lc rgb "#ffffff" lc rgb variable notitle, \
             for [o = 1:bal_other[i]] "" index (i - 1) \
                 using 1:($4 < 0 ? $2 : NaN):3:(scol(word(tic_words, int($5)))) \
                 with boxes fs pattern 4 lc rgb variable notitle, \
             even with lines dt 2 lc rgb "#444444" lw 1 notitle
        eval after_panel
    }
    eval legend_begin
    plot -1 with boxes fs solid 0.85 lc rgb "#777777" title "thread 0, 1, ... (left to right)", \
         for [o = 1:any_other] -1 with boxes fs pattern 4 lc rgb "#777777" title other_title, \
         -1 with lines dt 2 lc rgb "#444444" lw 1 title "even share", \
         for [o = 1:(strlen(bal_nofree) > 0)] -1 with lines lc rgb "#ffffff" title nofree_title
    eval end_figure
}
