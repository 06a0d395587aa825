# common.gp - what every figure script shares: where the data are, one
# colour, point and dash per scheme, the page layout (panels, a legend
# column on the right, the footnote) and the two terminals. Loaded by the
# figure scripts, not run alone.
#
# `smrbench plot DIR` runs `gnuplot -d -c plot/F.gp TMP` with the data in
# TMP/data, then moves everything into DIR/plots. By hand, after that,
# `gnuplot -e "dir='DIR'" plot/F.gp` redraws DIR/plots/F.png and F.svg from
# DIR/plots/data (edit a script, rerun it).

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

# ---- one colour, point type and dash per scheme, the same in every figure ----
# Families share a hue (epochs blue, hazard pointers red to orange, eras
# green); the third-party libraries' lines are dash-dotted, none's dashed.
scol(s) = s eq "none" ? 0x808080 : \
          s eq "ebr" ? 0x0072B2 : \
          s eq "qsbr" ? 0x56B4E9 : \
          s eq "urcu" ? 0x332288 : \
          s eq "ck-epoch" ? 0x44AA99 : \
          s eq "hp" ? 0xD55E00 : \
          s eq "hp-asym" ? 0xE69F00 : \
          s eq "ck-hp" ? 0x882255 : \
          s eq "he" ? 0x228833 : \
          s eq "ibr" ? 0x999933 : \
          s eq "hyaline" ? 0xAA4499 : \
          s eq "dbmap-epochs" ? 0x000000 : 0x505050
spt(s) = s eq "none" ? 2 : s eq "ebr" ? 7 : s eq "qsbr" ? 6 : s eq "urcu" ? 14 : \
         s eq "ck-epoch" ? 12 : s eq "hp" ? 5 : s eq "hp-asym" ? 4 : s eq "ck-hp" ? 13 : \
         s eq "he" ? 9 : s eq "ibr" ? 8 : s eq "hyaline" ? 11 : s eq "dbmap-epochs" ? 15 : 1
sdt(s) = s eq "none" ? 2 : (s eq "urcu" || s eq "ck-epoch" || s eq "ck-hp") ? 4 : 1

# ---- layout, in pixels (the SVG has the PNG's geometry) ----
# Sized for print: a one-panel figure (480 px panel + legend) printed one
# paper column wide (3.3 in) sets the 14 pt (19 px) text at about 6.5 pt;
# a two-panel figure printed page wide, at about 8 pt.
panel_w = 480
panel_h = 400
# The title band: 48 px for one line, 26 more per line (title_lines); a
# multi-line label hangs from its first line.
title_lines = 1
title_h(n) = 48 + 26 * (n - 1)
foot_h = 62
legend_w = 250
# An interrupted run says so on a line of its own.
title_lines = title_lines + incomplete
# The legend column as wide as its longest entry (legend_words) needs.
fit_legend = "L = 0; do for [w in legend_words] { L = strlen(w) > L ? strlen(w) : L }; legend_w = 90 + 11 * L"
# Each figure sets ncol and nrow (its grid of panels) and has_legend.
fig_w(c) = c * panel_w + (has_legend ? legend_w : 0)
fig_h(r) = title_h(title_lines) + r * panel_h + foot_h
sx(px) = px / (1.0 * fig_w(ncol))
sy(px) = px / (1.0 * fig_h(nrow))
# Panel i (from 1): left to right, top to bottom.
place = "set origin sx(((i - 1) % ncol) * panel_w), sy(foot_h + (nrow - 1 - (i - 1) / ncol) * panel_h); " . \
        "set size sx(panel_w), sy(panel_h)"

# `eval begin_figure` with fmt ("png" or "svg"), name and fig_title set:
# terminal, output, title, footnote (machine, allocator, pinning, build).
# Commands name variables rather than splicing their text, so no quote in
# a title or path can break them.
begin_figure = "reset; set encoding utf8; " . \
    "set terminal (fmt eq 'png' ? 'pngcairo' : 'svg') size fig_w(ncol), fig_h(nrow) " . \
    "font (fmt eq 'png' ? 'DejaVu Sans,14' : 'Helvetica,14') fontscale (fmt eq 'png' ? 1 : 1.33) " . \
    "linewidth 1.5 noenhanced background '#ffffff'; psc = (fmt eq 'png' ? 1 : 0.75); " . \
    "set output out . '/' . name . '.' . fmt; set multiplot; " . \
    "set label 901 fig_title . (incomplete ? \"\n(interrupted run: incomplete)\" : '') " . \
    "at screen 0.5, screen 1 - sy(22) center font ',16'; " . \
    "set label 902 foot1 at screen sx(8), screen sy(0.74 * foot_h) left font ',9' textcolor rgb '#555555'; " . \
    "set label 903 foot2 at screen sx(8), screen sy(0.46 * foot_h) left font ',9' textcolor rgb '#555555'; " . \
    "set label 904 foot3 at screen sx(8), screen sy(0.18 * foot_h) left font ',9' textcolor rgb '#555555'"
end_figure = "unset multiplot; set output"

# Before each panel's plot; the figure's labels go with the first panel only.
panel_style = "unset key; unset object; unset arrow; set grid back lc rgb '#dddddd' lw 0.6; set border 3; " . \
              "set tics nomirror out scale 0.6; set lmargin 10; set rmargin 2; set tmargin 2; set bmargin 3.2; " . \
              "set title font ',13'"
after_panel = "unset label 901; unset label 902; unset label 903; unset label 904"

# The legend column: a plot with nothing in range whose key sits right of
# the panels; the figure then plots one key entry per line it explains.
legend_begin = "set origin 0, 0; set size 1, 1; unset border; unset tics; unset grid; unset title; " . \
               "unset xlabel; unset ylabel; unset object; unset arrow; unset logscale; unset label; " . \
               "set xrange [0:1]; set yrange [0:1]; set lmargin 0; set rmargin 0; set tmargin 0; set bmargin 0; " . \
               "set key at screen sx(ncol * panel_w + 8), screen 1 - sy(title_h(title_lines) + 8) left top vertical Left reverse " . \
               "samplen 2.5 spacing 1.1 noautotitle"
# The schemes' legend (a word list): lines with their points, or lines only.
legend_schemes = legend_begin . "; plot for [w in legend_words] -1 with linespoints lc rgb scol(w) pt spt(w) dt sdt(w) ps 1.1 * psc lw 1.5 title w"
legend_lines = legend_begin . "; plot for [w in legend_words] -1 with lines lc rgb scol(w) dt sdt(w) lw 1.5 title w"

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

# A tic step of 1, 2 or 5 times a power of ten giving about five tics up to
# r, and at least 1 (counts of nodes and bytes are integers).
nice_in(v, d) = v / d < 1.5 ? d : v / d < 3.5 ? 2 * d : v / d < 7.5 ? 5 * d : 10 * d
nice_step(r) = r <= 5 ? 1 : nice_in(r / 5.0, 10 ** floor(log10(r / 5.0)))
