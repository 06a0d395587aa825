# rss.gp - resident set size versus time, one line per scheme, for each
# (structure, mix) at its most threads, first ok repetition; the --stall
# window shaded. Many schemes: one small multiple per family, as in the
# memory figure. Usage: gnuplot -e "dir='results/X'" plot/rss.gp.
dirname(s) = strlen(s) == 0 || s[strlen(s):strlen(s)] eq "/" ? s : dirname(s[1:strlen(s) - 1])
here = dirname(ARG0)
if (ARGC >= 1) { out = ARG1 }
load here . "common.gp"
if (mem_n == 0) { print "rss.gp: no memory curves in ", data; exit }

name = "rss"
# Without run.json's isolation the sweep ran in one process: a run's RSS
# includes what the runs before it left.
fig_title = (strlen(isolation) ? "RSS (isolation " . isolation . ")" : "RSS of the sweep's one process (earlier runs' memory counts)") . \
            (reps > 1 ? sprintf(", first of %d runs", reps) : "")
# A row per structure and mix, a column per family drawn, and with
# several machines such a block of columns per machine.
block = 1
do for [p = 1:mem_n] {
    W = mem_schemes[p]
    eval family_cells
    block = words(cells) > block ? words(cells) : block
}
ncol = block * machines
nrow = mem_rows
if (block > 1) { panel_w = 400 }
panel_h = 330
has_legend = 1
legend_words = schemes
eval fit_legend
mark_every(p, j) = (mem_points[p] > 12 ? int(mem_points[p] / 6) : 1) + j - 1

do for [fmt in "png svg pdf"] {
    eval begin_figure
    do for [p = 1:mem_n] {
        W = mem_schemes[p]
        eval family_cells
        col0 = (mem_mcol[p] - 1) * block
        do for [c = 1:words(cells)] {
            cell = word(cells, c) + 0
            cell_col = col0 + c - 1
            cell_row = mem_grow[p] - 1
            eval place_cell
            eval panel_style
            eval stall_shade
            if (c == 1) {
                set label 20 mem_title[p] at screen sx(grid_x0(ncol) + (col0 + words(cells) / 2.0) * panel_w), \
                    screen sy(foot_h + legend_h + (nrow - cell_row) * panel_h - 14) center font ",13"
            }
            if (cell > 0) { set title fam_name[cell] offset 0, -0.3 }
            set tmargin 3.2
            if (cell_row == nrow - 1) { set xlabel (ncol > 1 ? "time (s)" : "time into the measured window (s)") } else { unset xlabel; set bmargin 2 }
            if (c == 1) { set ylabel "RSS (MiB)" } else { unset ylabel }
            set xrange [0:mem_tmax[p]]
            set yrange [0:mem_rss_max[p]]
            eval cell_curves
            plot for [js in J] data . "/series.dat" index (mem_first[p] + js - 1) using 1:4 \
                     with linespoints pi mark_every(p, js + 0) ps 0.8 * psc \
                     lc rgb scol(word(W, js + 0)) pt spt(word(W, js + 0)) dt sdt(word(W, js + 0)) lw 1.5 notitle
            unset label 11
            unset label 20
            unset title
            eval after_panel
        }
    }
    eval legend_schemes
    eval end_figure
}
