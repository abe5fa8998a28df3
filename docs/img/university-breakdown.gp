# gpuplan: cost-breakdown, rendered by gnuplot
set terminal pngcairo size 960,560 font 'DejaVu Sans,11'
set output 'docs/img/university-breakdown.png'
set title 'university-ai-department: cost-breakdown'
set xlabel 'venue family'
set ylabel 'USD'
set termoption noenhanced
set grid
set key outside right top
set style data histograms
set style histogram rowstacked
set style fill solid 0.85 border -1
set boxwidth 0.7
set xtics rotate by -30
$bars << EOD
"hybrid" 15831.81394 26400 3481.310916
EOD
plot $bars using 2:xtic(1) title 'rent', $bars using 3 title 'maintenance', $bars using 4 title 'energy'
