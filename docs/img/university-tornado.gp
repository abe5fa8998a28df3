# gpuplan: tornado, rendered by gnuplot
set terminal pngcairo size 960,560 font 'DejaVu Sans,11'
set output 'docs/img/university-tornado.png'
set title 'university-ai-department: total cost when each parameter moves by 20%'
set xlabel 'USD'
set ylabel ''
set termoption noenhanced
set grid
set key outside right top
base = 44646.67472
set style fill solid 0.85 border -1
set yrange [11 - 0.5:-0.5]
set ytics scale 0
set arrow from base, graph 0 to base, graph 1 nohead dashtype 2 lc rgb 'gray40'
$t << EOD
"onprem prices" 39366.67472 49926.67472
"dl-course students" 41897.42672 47398.58672
"gpuaas prices" 42152.37872 47138.95472
"phd-vision gpu_hours" 42404.95211 46919.06269
"decentralized prices" 44213.04322 45003.66757
"cloud-spot prices" 44513.93916 44646.67472
"finetune-bank tokens" 44619.27814 44674.0713
"cloud prices" 44627.32112 44646.67472
"academic prices" 44646.67472 44646.67472
"cameras rate" 44646.67472 44646.67472
"edge prices" 44646.67472 44646.67472
EOD
plot $t using (base):0:(($2<base)?$2:base):(($2<base)?base:$2):($0-0.35):($0+0.35):ytic(1) with boxxyerror title '-20%', $t using (base):0:(($3<base)?$3:base):(($3<base)?base:$3):($0-0.35):($0+0.35) with boxxyerror title '+20%'
