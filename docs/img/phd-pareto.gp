# gpuplan: pareto, rendered by gnuplot
set terminal pngcairo size 960,560 font 'DejaVu Sans,11'
set output 'docs/img/phd-pareto.png'
set title 'phd-research: pareto'
set xlabel 'USD'
set ylabel 'month'
set termoption noenhanced
set grid
set key outside right top
$d0 << EOD
0 18
1600.122192 18
3200.244383 18
4800.366575 18
6400.488766 18
8000.610958 18
9600.733149 1.5
11200.85533 1
EOD
plot $d0 using 1:2 with linespoints pt 7 title 'cheapest plan for each deadline'
