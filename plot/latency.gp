# latency.gp - sampled operation latency per scheme: p50, p99, p99.9 and
# max on a log axis, one panel per (structure, mix) at its most threads,
# medians over repetitions. Usage: gnuplot -e "dir='results/X'" plot/latency.gp.
dirname(s) = strlen(s) == 0 || s[strlen(s):strlen(s)] eq "/" ? s : dirname(s[1:strlen(s) - 1])
here = dirname(ARG0)
if (ARGC >= 1) { out = ARG1 }
load here . "common.gp"
if (lat_n == 0) { print "latency.gp: no latency results in ", data; exit }

name = "latency"
fig_title = "Latency (1 op in 64 timed)" . (reps > 1 ? sprintf(", median of %d runs", reps) : "")
# A panel per structure and mix, two to a row; with several machines a
# row per structure and mix, a column per machine (common.gp's place).
ncol = machines > 1 ? machines : lat_n < 2 ? lat_n : 2
nrow = machines > 1 ? lat_rows : (lat_n + ncol - 1) / ncol
has_legend = 1
legend_words = "p50 p99 p99.9 max"
eval fit_legend
# The percentiles, in the legend in black.
qcol(k) = k + 1
qpt(k) = k == 1 ? 7 : k == 2 ? 9 : k == 3 ? 5 : 12
qname(k) = k == 1 ? "p50" : k == 2 ? "p99" : k == 3 ? "p99.9" : "max"

do for [fmt in "png svg pdf"] {
    eval begin_figure
    do for [i = 1:lat_n] {
        pos = lat_cell[i]
        eval place
        eval panel_style
        set title lat_title[i]
        set ylabel "latency"
        set yrange [lat_ymin[i]:lat_ymax[i]]
        eval ns_tics
        tic_words = lat_schemes[i]
        eval name_tics
        plot data . "/latency.dat" index (i - 1) using 1:2:(0):($5 - $2):(scol(word(tic_words, int($1)))) \
                 with vectors nohead lc rgb variable lw 1 notitle, \
             for [k = 1:4] "" index (i - 1) using 1:(column(qcol(k))):(scol(word(tic_words, int($1)))) \
                 with points pt qpt(k) ps 1.3 * psc lc rgb variable notitle
        eval after_panel
    }
    eval legend_begin
    plot for [k = 1:4] -1 with points pt qpt(k) ps 1.3 * psc lc rgb "#000000" title qname(k)
    eval end_figure
}
