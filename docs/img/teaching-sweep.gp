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
220 12880.14
260 15505.09
300 18638.58
EOD
$d1 << EOD
20 2291.04
60 6873.12
100 11455.2
140 16069.25
180 20757.89
220 25760.29
260 31010.17
300 37277.15
EOD
$d2 << EOD
20 3765.83
60 11297.49
100 19769.01
140 28521.42
180 37685.58
220 46849.74
260 56035.22
300 65412.5
EOD
plot $d0 using 1:2 with linespoints pt 7 title '*0.5', $d1 using 1:2 with linespoints pt 7 title '*1', $d2 using 1:2 with linespoints pt 7 title '*2'
