#!/usr/bin/env bash
# The first command: install what is missing, build (the program and the web app), make the demo
# database, write the 2022H1 report of 辽市镇 (Markdown and HTML) into ./out, then start the web
# app on the demo database (TZ_PORT, default 8080) until Ctrl+C.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh
scripts/build-web.sh
mkdir -p out
rm -f out/demo.db out/demo.db-wal out/demo.db-shm
./build/src/cli/taizhang --db out/demo.db demo --seed 2022
./build/src/cli/taizhang --db out/demo.db report --period 2022H1 -o out/report-2022H1.md
./build/src/cli/taizhang --db out/demo.db report --period 2022H1 --format html -o out/report-2022H1.html
./build/src/cli/taizhang --db out/demo.db export dibao --period 2022H1 -o out/dibao-2022H1.xlsx >/dev/null
./build/src/cli/taizhang --db out/demo.db template tekun -o out/tekun-template.xlsx
echo
echo "演示数据库: $(pwd)/out/demo.db"
echo "2022年上半年工作总结: $(pwd)/out/report-2022H1.md"
echo "                      $(pwd)/out/report-2022H1.html"
echo "2022年上半年低保台账（身份证号已遮盖）: $(pwd)/out/dibao-2022H1.xlsx"
echo "特困人员台账填报模板: $(pwd)/out/tekun-template.xlsx"
echo "再试: ./build/src/cli/taizhang --db out/demo.db figures --period 2022H1 --unit 院前村"
echo
echo "正在启动网页服务（Ctrl+C 停止）；在浏览器中打开下面的地址："
exec ./build/src/cli/taizhang --db out/demo.db serve --port "${TZ_PORT:-8080}"
