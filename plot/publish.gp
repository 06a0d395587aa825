# publish.gp - dbmap's publish latency per grace-period provider: the whole
# publish, its wait for readers and its apply (replay of the log and the
# swap), each a box from p50 to p99 with a whisker to the max, log axis;
# medians over repetitions. Usage: gnuplot -e "dir='results/X'" plot/publish.gp.
dirname(s) = strlen(s) == 0 || s[strlen(s):strlen(s)] eq "/" ? s : dirname(s[1:strlen(s) - 1])
here = dirname(ARG0)
if (ARGC >= 1) { out = ARG1 }
load here . "common.gp"
if (pub_n == 0) { print "publish.gp: no dbmap results in ", data; exit }

name = "publish"
fig_title = "dbmap publish latency per provider: box p50..p99, whisker to max" . (reps > 1 ? sprintf(", median of %d runs", reps) : "")
ncol = 3
nrow = pub_n
has_legend = 0
part(k) = k == 1 ? "whole publish" : k == 2 ? "its wait for readers" : "its apply (log replay, swap)"
# One dbmap configuration (the usual case): it goes in the figure's title.
if (pub_n == 1) { fig_title = fig_title . "\n" . pub_title[1]; title_lines = title_lines + 1 }

do for [fmt in "png svg pdf"] {
    eval begin_figure
    do for [i = 1:3 * pub_n] {
        p = (i + 2) / 3
        k = (i - 1) % 3 + 1
        c = 2 + 3 * (k - 1)
        pos = i
        eval place
        eval panel_style
        set title (pub_n == 1 ? "" : pub_title[p] . ": ") . part(k)
        # Several machines: titles that name one are too long for a line.
        if (machines > 1) { set title pub_title[p] . "\n" . part(k); set tmargin 3.4 }
        set ylabel "latency"
        set yrange [pub_ymin[p]:pub_ymax[p]]
        eval ns_tics
        tic_words = pub_schemes[p]
        eval name_tics
        set boxwidth 0.55
        plot data . "/publish.dat" index (p - 1) \
                 using 1:(column(c)):(column(c)):(column(c + 2)):(column(c + 1)):(scol(word(tic_words, int($1)))) \
                 with candlesticks whiskerbars 0.5 fs solid 0.7 lc rgb variable lw 1.2 notitle
        eval after_panel
    }
    eval end_figure
}
