# gpuplan: tornado, rendered by gnuplot
set terminal pngcairo size 960,560 font 'DejaVu Sans,11'
set output 'docs/img/university-tornado.png'
set title 'university-ai-department: total cost when each parameter moves by 20%'
set xlabel 'USD'
set ylabel ''
set termoption noenhanced
set grid
set key outside right top
base = 41292.40364
set style fill solid 0.85 border -1
set yrange [11 - 0.5:-0.5]
set ytics scale 0
set arrow from base, graph 0 to base, graph 1 nohead dashtype 2 lc rgb 'gray40'
$t << EOD
"onprem prices" 36012.40364 46572.40364
"dl-course students" 38904.57164 43529.27564
"phd-vision gpu_hours" 39185.13506 43564.79161
"gpuaas prices" 39338.53174 43032.10364
"decentralized prices" 40920.58169 41491.9862
"cloud-spot prices" 41178.58812 41292.40364
"finetune-bank tokens" 41278.45577 41306.35152
"cloud prices" 41273.05004 41292.40364
"academic prices" 41292.40364 41292.40364
"cameras rate" 41292.40364 41292.40364
"edge prices" 41292.40364 41292.40364
EOD
plot $t using (base):0:(($2<base)?$2:base):(($2<base)?base:$2):($0-0.35):($0+0.35):ytic(1) with boxxyerror title '-20%', $t using (base):0:(($3<base)?$3:base):(($3<base)?base:$3):($0-0.35):($0+0.35) with boxxyerror title '+20%'
