# gpuplan: pareto, rendered by gnuplot
set terminal pngcairo size 960,560 font 'DejaVu Sans,11'
set output 'docs/img/teaching-sweep.png'
set title 'total cost (USD); lines: catalog.family.gpuaas.price'
set xlabel 'workloads.dl-course.students'
set ylabel 'total cost'
set termoption noenhanced
set grid
set key outside right top
$d0 << EOD
20 1145.52
60 3436.56
100 5727.6
140 8034.62
180 10378.94
220 13490.88
260 16959.93
300 20237.24
EOD
$d1 << EOD
20 2291.04
60 6873.12
100 11455.2
140 16069.25
180 20757.89
220 26981.77
260 33919.85
300 40474.47
EOD
$d2 << EOD
20 3765.83
60 11297.49
100 22645.39
140 32138.5
180 41515.78
220 52954.78
260 63828.59
300 76087.25
EOD
plot $d0 using 1:2 with linespoints pt 7 title '*0.5', $d1 using 1:2 with linespoints pt 7 title '*1', $d2 using 1:2 with linespoints pt 7 title '*2'
