# memory.gp - unreclaimed memory versus time, one line per scheme: nodes
# (left) and bytes (right), both on log axes, for each (structure, mix) at
# its most threads, first repetition; the --stall window shaded.
# Usage: gnuplot -e "dir='results/X'" plot/memory.gp (see common.gp).
dirname(s) = strlen(s) == 0 || s[strlen(s):strlen(s)] eq "/" ? s : dirname(s[1:strlen(s) - 1])
here = dirname(ARG0)
if (ARGC >= 1) { out = ARG1 }
load here . "common.gp"
if (mem_n == 0) { print "memory.gp: no memory curves in ", data; exit }

name = "memory"
fig_title = "Unreclaimed memory (retired, not yet freed)" . (reps > 1 ? sprintf(", first of %d runs", reps) : "")
ncol = 2
nrow = mem_n
has_legend = 1
legend_words = schemes
eval fit_legend

do for [fmt in "png svg"] {
    eval begin_figure
    do for [cell = 1:2 * mem_n] {
        p = (cell + 1) / 2
        col = cell % 2 ? 2 : 3
        i = cell
        eval place
        eval panel_style
        eval stall_shade
        # One title over the row's two panels (nodes, bytes of one run).
        if (col == 2) {
            set label 20 mem_title[p] at screen sx(panel_w), screen sy(foot_h + (nrow - p + 1) * panel_h - 16) center font ",13"
        }
        set xlabel "time into the measured window (s)"
        set xrange [0:mem_tmax[p]]
        # Log axes when the curves span decades: 0 is then drawn on the
        # bottom axis (1), since a log axis has no 0.
        logy = col == 2 ? mem_nodes_log[p] : mem_bytes_log[p]
        if (logy) { set logscale y } else { unset logscale y }
        set ylabel col == 2 ? "unreclaimed nodes" : "unreclaimed bytes"
        set format y (col == 2 ? "%.0s%c" : "%.0s %cB")
        ymax = col == 2 ? mem_nodes_max[p] : mem_bytes_max[p]
        set yrange [logy:ymax]
        if (logy) { set ytics autofreq } else { set ytics 0, nice_step(ymax) }
        plot for [j = 1:words(mem_schemes[p])] data . "/series.dat" index (mem_first[p] + j - 1) \
                 using 1:(logy && column(col) < 1 ? 1 : column(col)) with lines \
                 lc rgb scol(word(mem_schemes[p], j)) dt sdt(word(mem_schemes[p], j)) lw 1.5 notitle
        unset label 11
        unset label 20
        eval after_panel
    }
    eval legend_lines
    eval end_figure
}
