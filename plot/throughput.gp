# throughput.gp - throughput versus threads, one line per scheme, one panel
# per (structure, mix): the median over repetitions, error bars min..max.
# A panel with a single thread count shows bars per scheme instead (named
# on the x axis: a figure of bars only has no legend).
# Usage: gnuplot -e "dir='results/X'" plot/throughput.gp (see common.gp).
dirname(s) = strlen(s) == 0 || s[strlen(s):strlen(s)] eq "/" ? s : dirname(s[1:strlen(s) - 1])
here = dirname(ARG0)
if (ARGC >= 1) { out = ARG1 }
load here . "common.gp"
if (tp_n == 0) { print "throughput.gp: no results in ", data; exit }

name = "throughput"
fig_title = "Throughput" . (reps > 1 ? sprintf(": median of %d runs, bars min..max", reps) : ": one run per point")
# A panel per structure and mix, two to a row; with several machines a
# row per structure and mix, a column per machine (common.gp's place).
ncol = machines > 1 ? machines : tp_n < 2 ? tp_n : 2
nrow = machines > 1 ? tp_rows : (tp_n + ncol - 1) / ncol
has_legend = 0
do for [i = 1:tp_n] { has_legend = has_legend || tp_nthreads[i] > 1 }
legend_words = schemes
eval fit_legend
# Points of different schemes at one thread count are spread a little so
# their error bars do not hide each other.
dodge(j, n, p) = (j - (n + 1) / 2.0) * (tp_xmax[p] - tp_xmin[p]) * 0.008
bars = reps > 1
s(j) = word(tp_schemes[i], j)

do for [fmt in "png svg pdf"] {
    eval begin_figure
    do for [i = 1:tp_n] {
        pos = tp_cell[i]
        eval place
        eval panel_style
        set title tp_title[i]
        set ylabel "Mops/s (all threads)"
        set yrange [0:tp_ymax[i]]
        n = words(tp_schemes[i])
        file = data . "/throughput.dat"
        if (tp_nthreads[i] == 1) {
            # One thread count: a bar per scheme.
            if (tp_oversub[i] > 0) { set title tp_title[i] . " (oversubscribed)" }
            tic_words = tp_schemes[i]
            eval name_tics
            set boxwidth 0.7
            plot for [j = 1:n] file index (tp_first[i] + j - 1) using (j):2 with boxes \
                     fs solid 0.8 noborder lc rgb scol(s(j)) notitle, \
                 for [j = 1:n * bars] file index (tp_first[i] + j - 1) using (j):2:3:4 with yerrorbars \
                     pt 7 ps 0 lc rgb "#333333" lw 1 notitle
        } else {
            set xlabel "threads"
            set xrange [tp_xmin[i]:tp_xmax[i]]
            if (strlen(tp_xtics[i]) > 0) { eval "set xtics " . tp_xtics[i] } else { set xtics autofreq }
            # More threads than PUs: shaded.
            if (tp_oversub[i] > 0) {
                set object 2 rect from first tp_oversub[i] - 0.5, graph 0 to graph 1, graph 1 behind \
                    fc rgb "#f0f0f0" fs solid 1.0 noborder
                set label 12 "oversubscribed" at first tp_oversub[i] - 0.4, graph 0.97 left front \
                    font ",11" textcolor rgb "#666666"
            }
            # Lines in the scheme's dash, error bars solid.
            plot for [j = 1:n] file index (tp_first[i] + j - 1) using ($1 + dodge(j, n, i)):2 \
                     with linespoints lc rgb scol(s(j)) pt spt(s(j)) dt sdt(s(j)) ps 1.0 * psc lw 1.5 notitle, \
                 for [j = 1:n * bars] file index (tp_first[i] + j - 1) using ($1 + dodge(j, n, i)):2:3:4 \
                     with yerrorbars lc rgb scol(s(j)) pt spt(s(j)) ps 1.0 * psc lw 1.2 notitle
            unset label 12
        }
        eval after_panel
    }
    if (has_legend) { eval legend_schemes }
    eval end_figure
}
