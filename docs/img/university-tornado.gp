# gpuplan: tornado, rendered by gnuplot
set terminal pngcairo size 960,560 font 'DejaVu Sans,11'
set output 'docs/img/university-tornado.png'
set title 'university-ai-department: total cost when each parameter moves by 20%'
set xlabel 'USD'
set ylabel ''
set termoption noenhanced
set grid
set key outside right top
base = 45713.12486
set style fill solid 0.85 border -1
set yrange [11 - 0.5:-0.5]
set ytics scale 0
set arrow from base, graph 0 to base, graph 1 nohead dashtype 2 lc rgb 'gray40'
$t << EOD
"onprem prices" 40433.12486 50993.12486
"gpuaas prices" 42875.17286 48544.53687
"dl-course students" 42963.87686 48504.99686
"phd-vision gpu_hours" 43633.16741 47985.51282
"decentralized prices" 45367.20262 45983.49337
"cloud-spot prices" 45612.59759 45713.12486
"finetune-bank tokens" 45684.74266 45741.50706
"cloud prices" 45693.77126 45713.12486
"academic prices" 45713.12486 45713.12486
"cameras rate" 45713.12486 45713.12486
"edge prices" 45713.12486 45713.12486
EOD
plot $t using (base):0:(($2<base)?$2:base):(($2<base)?base:$2):($0-0.35):($0+0.35):ytic(1) with boxxyerror title '-20%', $t using (base):0:(($3<base)?$3:base):(($3<base)?base:$3):($0-0.35):($0+0.35) with boxxyerror title '+20%'
