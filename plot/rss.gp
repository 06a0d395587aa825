# rss.gp - resident set size versus time, one line per scheme, for each
# (structure, mix) at its most threads, first repetition; the --stall
# window shaded. Usage: gnuplot -e "dir='results/X'" plot/rss.gp.
dirname(s) = strlen(s) == 0 || s[strlen(s):strlen(s)] eq "/" ? s : dirname(s[1:strlen(s) - 1])
here = dirname(ARG0)
if (ARGC >= 1) { out = ARG1 }
load here . "common.gp"
if (mem_n == 0) { print "rss.gp: no memory curves in ", data; exit }

name = "rss"
fig_title = "RSS of the sweep's process" . (reps > 1 ? sprintf(", first of %d runs", reps) : "")
ncol = mem_n < 2 ? mem_n : 2
nrow = (mem_n + ncol - 1) / ncol
has_legend = 1
legend_words = schemes
eval fit_legend

do for [fmt in "png svg"] {
    eval begin_figure
    do for [i = 1:mem_n] {
        eval place
        eval panel_style
        eval stall_shade
        set title mem_title[i]
        set xlabel "time into the measured window (s)"
        set ylabel "RSS (MiB)"
        set xrange [0:mem_tmax[i]]
        set yrange [0:mem_rss_max[i]]
        plot for [j = 1:words(mem_schemes[i])] data . "/series.dat" index (mem_first[i] + j - 1) \
                 using 1:4 with lines \
                 lc rgb scol(word(mem_schemes[i], j)) dt sdt(word(mem_schemes[i], j)) lw 1.5 notitle
        unset label 11
        eval after_panel
    }
    eval legend_lines
    eval end_figure
}
