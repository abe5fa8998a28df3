# gpuplan: tornado, rendered by gnuplot
set terminal pngcairo size 960,560 font 'DejaVu Sans,11'
set output 'docs/img/university-tornado.png'
set title 'university-ai-department: total cost when each parameter moves by 20%'
set xlabel 'USD'
set ylabel ''
set termoption noenhanced
set grid
set key outside right top
base = 45708.19676
set style fill solid 0.85 border -1
set yrange [11 - 0.5:-0.5]
set ytics scale 0
set arrow from base, graph 0 to base, graph 1 nohead dashtype 2 lc rgb 'gray40'
$t << EOD
"onprem prices" 40428.19676 50988.19676
"gpuaas prices" 42870.24476 48539.60877
"dl-course students" 42958.94876 48500.06876
"phd-vision gpu_hours" 43628.86806 47980.58473
"decentralized prices" 45362.42501 45978.44138
"cloud-spot prices" 45607.71556 45708.19676
"finetune-bank tokens" 45680.80018 45735.59334
"cloud prices" 45688.84316 45708.19676
"academic prices" 45708.19676 45708.19676
"cameras rate" 45708.19676 45708.19676
"edge prices" 45708.19676 45708.19676
EOD
plot $t using (base):0:(($2<base)?$2:base):(($2<base)?base:$2):($0-0.35):($0+0.35):ytic(1) with boxxyerror title '-20%', $t using (base):0:(($3<base)?$3:base):(($3<base)?base:$3):($0-0.35):($0+0.35) with boxxyerror title '+20%'
