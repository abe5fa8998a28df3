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
20 972.36
60 2917.08
100 4861.8
140 6606.72
180 8588.74
220 10570.75
260 12552.77
300 14204.45
EOD
$d1 << EOD
20 1944.72
60 5834.16
100 9723.6
140 13213.44
180 17177.47
220 21141.5
260 25105.54
300 28408.9
EOD
$d2 << EOD
20 3765.83
60 11297.49
100 18829.15
140 26360.81
180 33892.47
220 41424.13
260 48955.8
300 56487.46
EOD
plot $d0 using 1:2 with linespoints pt 7 title '*0.5', $d1 using 1:2 with linespoints pt 7 title '*1', $d2 using 1:2 with linespoints pt 7 title '*2'
