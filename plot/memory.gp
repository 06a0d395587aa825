# memory.gp - unreclaimed memory (retired, not yet freed) versus time, for
# each (structure, mix) at its most threads, first ok repetition; the
# --stall window shaded. Bytes in binary units (log axis when the curves
# span decades); nodes as well only where they say more than bytes (nodes
# of several sizes, or bytes not counted), else the node size is named.
# Many schemes: one small multiple per family (common.gp), `none` in each.
# Usage: gnuplot -e "dir='results/X'" plot/memory.gp (see common.gp).
dirname(s) = strlen(s) == 0 || s[strlen(s):strlen(s)] eq "/" ? s : dirname(s[1:strlen(s) - 1])
here = dirname(ARG0)
if (ARGC >= 1) { out = ARG1 }
load here . "common.gp"
if (mem_n == 0) { print "memory.gp: no memory curves in ", data; exit }

name = "memory"
fig_title = "Unreclaimed memory" . (reps > 1 ? sprintf(", first of %d runs", reps) : "")
# The grid: per structure and mix a row for bytes and/or one for nodes
# (the same for each machine's panel of it), a column per family drawn,
# and with several machines such a block of columns per machine.
block = 1
nrow = 0
do for [p = 1:mem_n] {
    W = mem_schemes[p]
    eval family_cells
    block = words(cells) > block ? words(cells) : block
    if (p == 1 || mem_grow[p] != mem_grow[p - 1]) { nrow = nrow + mem_bytes_row[p] + mem_nodes_row[p] }
}
ncol = block * machines
if (block > 1) { panel_w = 400 }
panel_h = 330
has_legend = 1
legend_words = schemes
eval fit_legend
# Markers every few points, shifted per scheme so they do not stack.
mark_every(p, j) = (mem_points[p] > 12 ? int(mem_points[p] / 6) : 1) + j - 1

do for [fmt in "png svg pdf"] {
    eval begin_figure
    row = 0
    do for [p = 1:mem_n] {
        # Another machine's panel of the same structure and mix: the same rows.
        if (p > 1 && mem_grow[p] == mem_grow[p - 1]) { row = row0 } else { row0 = row }
        col0 = (mem_mcol[p] - 1) * block
        W = mem_schemes[p]
        eval family_cells
        do for [kind = 1:2] {
            if ((kind == 1 && mem_bytes_row[p]) || (kind == 2 && mem_nodes_row[p])) {
                col = kind == 1 ? 3 : 2
                logy = kind == 1 ? mem_bytes_log[p] : mem_nodes_log[p]
                ylo = kind == 1 ? mem_bytes_min[p] : mem_nodes_min[p]
                yhi = kind == 1 ? mem_bytes_max[p] : mem_nodes_max[p]
                div = kind == 1 && !logy ? mem_bytes_div[p] : 1
                do for [c = 1:words(cells)] {
                    cell = word(cells, c) + 0
                    cell_col = col0 + c - 1
                    cell_row = row
                    eval place_cell
                    eval panel_style
                    eval stall_shade
                    # The row's title over its small multiples; each names its family.
                    # Nodes of one size: bytes say it all, given the size.
                    if (c == 1) {
                        set label 20 mem_title[p] . (kind == 1 && mem_node_bytes[p] > 0 ? \
                            sprintf(" (nodes of %d B)", mem_node_bytes[p]) : "") at screen sx(grid_x0(ncol) + (col0 + words(cells) / 2.0) * panel_w), \
                            screen sy(foot_h + legend_h + (nrow - row) * panel_h - 14) center font ",13"
                    }
                    if (cell > 0) { set title fam_name[cell] offset 0, -0.3 }
                    set tmargin (c == 1 || cell > 0 ? 3.2 : 2)
                    # The time axis is named once, under the last row.
                    if (row == nrow - 1) { set xlabel (ncol > 1 ? "time (s)" : "time into the measured window (s)") } else { unset xlabel; set bmargin 2 }
                    set xrange [0:mem_tmax[p]]
                    if (c == 1) { set ylabel (kind == 2 ? "unreclaimed nodes" : logy || mem_bytes_unit[p] eq "B" ? "unreclaimed bytes" : "unreclaimed (" . mem_bytes_unit[p] . ")") } else { unset ylabel }
                    if (logy) {
                        set yrange [ylo:yhi]
                        if (kind == 1) { eval bytes_log_tics } else { set logscale y; set format y "%.0s%c"; set ytics autofreq }
                    } else {
                        unset logscale y
                        set yrange [0:yhi]
                        set format y "%g"
                        set ytics 0, nice_step(yhi)
                    }
                    eval cell_curves
                    # Bytes not counted (dbmap's native epochs): nodes only.
                    if (kind == 1) { K = J; J = ''; do for [js in K] { if (!word_pos(mem_nobytes[p], word(W, js + 0), 1)) { J = J . ' ' . js } } }
                    # On a log axis a zero is drawn at its bottom.
                    plot for [js in J] data . "/series.dat" index (mem_first[p] + js - 1) \
                             using 1:(logy && column(col) < ylo ? ylo : column(col) / div) \
                             with linespoints pi mark_every(p, js + 0) ps 0.8 * psc \
                             lc rgb scol(word(W, js + 0)) pt spt(word(W, js + 0)) dt sdt(word(W, js + 0)) lw 1.5 notitle
                    unset label 11
                    unset label 20
                    unset title
                    eval after_panel
                }
                row = row + 1
            }
        }
    }
    eval legend_schemes
    eval end_figure
}
