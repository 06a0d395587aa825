# common.gp - what every figure script shares: where the data are, one
# colour, point and family (dash) per scheme, the page layout (panels, a
# legend band below them, the footnote) and the three terminals (PNG, SVG,
# PDF). Loaded by the figure scripts, not run alone.
#
# `smrbench plot DIR` runs `gnuplot -d -c plot/F.gp TMP` with the data in
# TMP/data, then moves everything into DIR/plots. By hand, after that,
# `gnuplot -e "dir='DIR'" plot/F.gp` redraws DIR/plots/F.png, .svg and .pdf
# from DIR/plots/data (edit a script, rerun it).

# The figure script sets `out` from its argument when it has one.
if (!exists("out")) {
    if (!exists("dir")) {
        print "usage: gnuplot -e \"dir='RESULTS'\" plot/FIGURE.gp   (after smrbench plot RESULTS)"
        exit status 2
    }
    out = dir . "/plots"
}
data = out . "/data"
load data . "/meta.gp"

# ---- each scheme's style, the same in every figure ----
# Per scheme: its colour, its point and its family. Colours are told
# apart within a family first (a family shares a panel of the memory
# figure), in hue and in lightness; the family sets the dash, so that in
# grey print the dash says the family and the point the scheme. Points: filled for epochs, open for
# hazard pointers, crosses and stars for eras. A scheme not listed here
# (a new one) gets a colour and point by its place in the run, dash-dot-dot.
# Adding a scheme: add it to style_names and one value to each array.
style_names = "none ebr qsbr urcu ck-epoch epoch-pop dbmap-epochs " . \
              "hp hp-asym ck-hp hp-pop he ibr hyaline crystalline"
array style_rgb[15] = [0x7F7F7F, \
    0x1F77B4, 0xFF7F0E, 0x2CA02C, 0x6A3D9A, 0xBCBD22, 0x000000, \
    0xD62728, 0x17BECF, 0x1B5E20, 0xE377C2, \
    0x393B79, 0x00A087, 0xC51B7D, 0xE0A526]
array style_pt[15] = [1, 7, 5, 9, 13, 11, 15, 6, 4, 12, 8, 10, 14, 3, 2]
array style_fam[15] = [4, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3]
# Families: their names (the memory figure's small multiples) and dashes.
array fam_name[5] = ["epochs", "hazard pointers", "eras", "no reclamation", "other"]
array fam_dt[5] = [1, 2, 4, 3, 5]
array other_rgb[6] = [0x6B6ECF, 0xAD494A, 0x31A354, 0x3182BD, 0xE6550D, 0x756BB1]

# The position of word w in list (0: absent).
word_pos(list, w, k) = k > words(list) ? 0 : word(list, k) eq w ? k : word_pos(list, w, k + 1)
style_of(s) = word_pos(style_names, s, 1)
other_of(s) = (word_pos(schemes, s, 1) + 5) % 6 + 1
scol(s) = style_of(s) ? style_rgb[style_of(s)] : other_rgb[other_of(s)]
spt(s) = style_of(s) ? style_pt[style_of(s)] : other_of(s) + 1
sfam(s) = style_of(s) ? style_fam[style_of(s)] : 5
sdt(s) = fam_dt[sfam(s)]
# `eval by_family` sorts the word list `in_words` by family into `sorted`.
by_family = "sorted = ''; do for [f = 1:5] { do for [w in in_words] { " . \
            "if (sfam(w) == f) { sorted = sorted . (strlen(sorted) ? ' ' : '') . w } } }"

# ---- layout, in pixels (the SVG and PDF have the PNG's geometry) ----
# Sized for print: a one-panel figure (480 px) printed one paper column
# wide (3.3 in) sets the 14 pt (19 px) text at about 7 pt; a two-panel
# figure printed page wide, at about 8 pt.
panel_w = 480
panel_h = 400
# The title band: 48 px for one line, 26 more per line (title_lines), 22
# per line of the note (what was left out, an unfinished set).
title_lines = 1
title_h(n) = 48 + 26 * (n - 1) + 22 * note_lines
# The footnote: three lines, and one more per machine beyond the first
# (foot_more) in a set of several machines.
foot_base = 62
foot_step = 17.4
foot_h = foot_base + foot_step * foot_more_n
# The legend band under the panels: as many columns of entries as the
# figure's width holds. `eval fit_legend` after ncol is set, with
# has_legend and legend_words (scheme names), or `eval fit_entries` with
# legend_n entries of at most legend_len characters.
legend_h = 0
legend_cols = 1
# (gnuplot makes a key column as wide as the longest entry plus about
# 8 characters of sample and gaps, each about 11 px at 14 pt.)
fit_entries = "legend_cols = floor((fig_w(ncol) - 20) / (11.0 * (legend_len + 8))); " . \
              "legend_cols = legend_cols < 1 ? 1 : legend_cols > legend_n ? legend_n : legend_cols; " . \
              "legend_h = has_legend ? 20 + 26 * ceil(legend_n * 1.0 / legend_cols) : 0"
fit_legend = "legend_len = 4; do for [w in legend_words] { legend_len = strlen(w) > legend_len ? strlen(w) : legend_len }; " . \
             "legend_n = words(legend_words); " . fit_entries
# Each figure sets ncol and nrow (its grid of panels). A narrow grid is
# centred in a figure wide enough for the title and the footnote.
min_w = 640
fig_w(c) = c * panel_w > min_w ? c * panel_w : min_w
grid_x0(c) = (fig_w(c) - c * panel_w) / 2.0
fig_h(r) = title_h(title_lines) + r * panel_h + legend_h + foot_h
sx(px) = px / (1.0 * fig_w(ncol))
sy(px) = px / (1.0 * fig_h(nrow))
# The panel in column cell_col, row cell_row (from 0, top to bottom);
# `place` puts a panel at grid position pos (from 1) left to right, top to
# bottom. A figure's panel i is at <prefix>_cell[i]: i itself, or with
# several machines (a column each, a row per structure and mix, ncol =
# machines, nrow = <prefix>_rows) its machine's column of its row.
place_cell = "set origin sx(grid_x0(ncol) + cell_col * panel_w), sy(foot_h + legend_h + (nrow - 1 - cell_row) * panel_h); " . \
             "set size sx(panel_w), sy(panel_h)"
place = "cell_col = (pos - 1) % ncol; cell_row = (pos - 1) / ncol; " . place_cell

# `eval begin_figure` with fmt ("png", "svg" or "pdf"), name and
# fig_title set: terminal, output, title, note, footnote (machine,
# allocator, pinning, build). The PDF is in points at the PNG's pixel
# size. Commands name variables rather than splicing their text, so no
# quote in a title or path can break them.
begin_figure = "reset; set encoding utf8; " . \
    "if (fmt eq 'png') { set terminal pngcairo size fig_w(ncol), fig_h(nrow) font 'DejaVu Sans,14' linewidth 1.5 noenhanced background '#ffffff'; psc = 1 } " . \
    "else { if (fmt eq 'svg') { set terminal svg size fig_w(ncol), fig_h(nrow) font 'Helvetica,14' fontscale 1.33 linewidth 1.5 noenhanced background '#ffffff'; psc = 0.75 } " . \
    "else { set terminal pdfcairo size fig_w(ncol) / 72.0, fig_h(nrow) / 72.0 font 'DejaVu Sans,14' fontscale 0.9 linewidth 3 dashlength 1.5 noenhanced background '#ffffff'; psc = 0.75 } }; " . \
    "set output out . '/' . name . '.' . fmt; set multiplot; " . \
    "set label 901 fig_title at screen 0.5, screen 1 - sy(22) center font ',16'; " . \
    "if (note_lines) { set label 905 note at screen 0.5, screen 1 - sy(26 * title_lines + 18) center font ',12' textcolor rgb '#9A3412' }; " . \
    "set label 902 foot1 at screen sx(8), screen sy(0.74 * foot_base + foot_step * foot_more_n) left font ',9' textcolor rgb '#555555'; " . \
    "do for [k = 1:foot_more_n] { set label 905 + k foot_more[k] at screen sx(8), screen sy(0.74 * foot_base + foot_step * (foot_more_n - k)) left font ',9' textcolor rgb '#555555' }; " . \
    "set label 903 foot2 at screen sx(8), screen sy(0.46 * foot_base) left font ',9' textcolor rgb '#555555'; " . \
    "set label 904 foot3 at screen sx(8), screen sy(0.18 * foot_base) left font ',9' textcolor rgb '#555555'"
end_figure = "unset multiplot; set output"

# Before each panel's plot; the figure's labels go with the first panel only.
panel_style = "unset key; unset object; unset arrow; set grid back lc rgb '#dddddd' lw 0.6; set border 3; " . \
              "set tics nomirror out scale 0.6; set lmargin 10; set rmargin 2; set tmargin 2; set bmargin 3.2; " . \
              "set title font ',13'"
after_panel = "unset label 901; unset label 902; unset label 903; unset label 904; unset label 905; " . \
              "do for [k = 1:foot_more_n] { unset label 905 + k }"

# The legend band: a plot with nothing in range whose key sits under the
# panels; the figure then plots one key entry per thing it explains.
legend_begin = "set origin 0, 0; set size 1, 1; unset border; unset tics; unset grid; unset title; " . \
               "unset xlabel; unset ylabel; unset object; unset arrow; unset logscale; unset label; " . \
               "set xrange [0:1]; set yrange [0:1]; set lmargin 0; set rmargin 0; set tmargin 0; set bmargin 0; " . \
               "set key at screen 0.5, screen sy(foot_h + legend_h - 6) center top horizontal Left reverse " . \
               "maxcols legend_cols samplen 3 spacing 1.1 width 1 noautotitle"
# The schemes' legend: their lines with their points, by family.
legend_schemes = "in_words = legend_words; eval by_family; " . legend_begin . \
                 "; plot for [w in sorted] -1 with linespoints lc rgb scol(w) pt spt(w) dt sdt(w) ps 1.1 * psc lw 1.5 title w"

# The --stall window, shaded on the time axes (seconds into the window).
stall_shade = "if (stall) { " . \
    "set object 1 rect from first stall_from, graph 0 to first stall_to, graph 1 behind fc rgb '#e6e6e6' fs solid 1.0 noborder; " . \
    "set label 11 sprintf('thread %d stalled', stall_thread) at first (stall_from + stall_to) / 2, graph 0.97 center front font ',11' textcolor rgb '#444444' }"

# Latency axes: logarithmic, data in ns, tics in the unit that reads best.
ns_tics = "set logscale y; set ytics ('1 ns' 1, '10 ns' 10, '100 ns' 100, '1 µs' 1e3, '10 µs' 1e4, " . \
          "'100 µs' 1e5, '1 ms' 1e6, '10 ms' 1e7, '100 ms' 1e8, '1 s' 1e9, '10 s' 1e10); set mytics 10"
# x tics at 1..n named by the words of a list (schemes of a panel).
name_tics = "set xtics (); if (words(tic_words) > 4) { set xtics rotate by 45 right font ',12'; set bmargin 6.5 } else { set xtics norotate center }; " . \
            "do for [k = 1:words(tic_words)] { set xtics add (word(tic_words, k) k) }; " . \
            "set xrange [0.4:words(tic_words) + 0.6]"

# Bytes in binary units, on a log axis: tics at powers of two, 2, 4, 32 or
# 1024 apart (1 KiB, 32 KiB, 1 MiB, ...), no more than about seven.
bytes_name(v) = v >= 2**30 ? sprintf("%g GiB", v / 2.0**30) : v >= 2**20 ? sprintf("%g MiB", v / 2.0**20) : \
                v >= 2**10 ? sprintf("%g KiB", v / 2.0**10) : sprintf("%g B", v)
bytes_step(lo, hi) = log(hi / lo) / log(2) / 6 <= 1 ? 1 : log(hi / lo) / log(2) / 6 <= 2 ? 2 : \
                     log(hi / lo) / log(2) / 6 <= 5 ? 5 : 10
bytes_log_tics = "set logscale y 2; unset mytics; set ytics (); st = bytes_step(ylo, yhi); " . \
                 "do for [k = ceil(log(ylo) / log(2) / st - 1e-9):floor(log(yhi) / log(2) / st + 1e-9)] { " . \
                 "set ytics add (bytes_name(2.0**(k * st)) 2.0**(k * st)) }"

# A tic step of 1, 2 or 5 times a power of ten giving about five tics up to
# r, and at least 1 (counts of nodes and bytes are integers).
nice_in(v, d) = v / d < 1.5 ? d : v / d < 3.5 ? 2 * d : v / d < 7.5 ? 5 * d : 10 * d
nice_step(r) = r <= 5 ? 1 : nice_in(r / 5.0, 10 ** floor(log10(r / 5.0)))

# ---- small multiples by family (memory and RSS figures) ----
# A panel with more than split_at schemes is drawn as one small multiple
# per family, `none` (everything retired, never freed) in each as the
# reference; fewer schemes share one. `eval family_cells` with W (the
# panel's schemes) sets `cells`: the families drawn ("0": one with all).
split_at = 5
family_cells = "cells = ''; if (words(W) > split_at) { do for [f = 1:5] { if (f != 4) { " . \
               "found = 0; do for [w in W] { found = found || sfam(w) == f }; " . \
               "if (found) { cells = cells . ' ' . f } } } }; if (strlen(cells) == 0) { cells = '0' }"
# `eval cell_curves` with W and cell: J, the positions in W it draws.
cell_curves = "J = ''; do for [j = 1:words(W)] { if (cell == 0 || sfam(word(W, j)) == cell || " . \
              "sfam(word(W, j)) == 4) { J = J . ' ' . j } }"
