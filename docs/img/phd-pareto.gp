# gpuplan: pareto, rendered by gnuplot
set terminal pngcairo size 960,560 font 'DejaVu Sans,11'
set output 'docs/img/phd-pareto.png'
set title 'phd-research-thesis-deadline: pareto'
set xlabel 'USD'
set ylabel 'month'
set termoption noenhanced
set grid
set key outside right top
$d0 << EOD
0 18
11310.45275 1.5
13195.5282 1
EOD
plot $d0 using 1:2 with linespoints pt 7 title 'cheapest plan for each deadline'
