#!/usr/bin/env bash
# The first command: install what is missing, build (the program and the web app), make the demo
# database and its first accounts, write the 2022H1 report of 辽市镇 (Markdown, HTML, the official-
# format Word document with its 数据来源 appendix, and that document as PDF) into ./out,
# then start the web app on the demo database (TZ_PORT, default 8080) until Ctrl+C.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh
scripts/build-web.sh
mkdir -p out
rm -f out/demo.db out/demo.db-wal out/demo.db-shm
tz() { ./build/src/cli/taizhang --db out/demo.db "$@"; }
# The demo data and the files below are made by the local administrator (--local-admin: this
# machine's user, recorded as such in the audit log).
tz demo --seed 2022 --local-admin
tz report --period 2022H1 -o out/report-2022H1.md --local-admin
tz report --period 2022H1 --format html -o out/report-2022H1.html --local-admin
tz report --period 2022H1 --format docx --appendix -o out/report-2022H1.docx --local-admin
tz report --period 2022H1 --format pdf --appendix -o out/report-2022H1.pdf --local-admin
tz export dibao --period 2022H1 -o out/dibao-2022H1.xlsx --local-admin >/dev/null
tz template tekun -o out/tekun-template.xlsx
# Accounts: there is no default password. Each gets a generated one, shown once (and kept in
# out/accounts.txt, readable by this user only), that must be changed at the first login.
unset TAIZHANG_PASSWORD
(
  umask 077
  {
    echo "账号 角色 初始密码（首次登录须修改）"
    echo "admin 系统管理员 $(tz user add admin --role admin --display-name 管理员 --local-admin 2>/dev/null)"
    echo "zhen 镇干部 $(tz user add zhen --role town_cadre --display-name 镇干部 --local-admin 2>/dev/null)"
    echo "yuanqian 村干部（院前村） $(tz user add yuanqian --role village_cadre --unit 院前村 --display-name 院前村干部 --local-admin 2>/dev/null)"
    echo "shenji 审计员 $(tz user add shenji --role auditor --display-name 审计员 --local-admin 2>/dev/null)"
  } >out/accounts.txt
)
echo
echo "演示数据库: $(pwd)/out/demo.db"
echo "2022年上半年工作总结: $(pwd)/out/report-2022H1.md"
echo "                      $(pwd)/out/report-2022H1.html"
echo "                      $(pwd)/out/report-2022H1.docx（公文格式，附数据来源表）"
echo "                      $(pwd)/out/report-2022H1.pdf"
echo "2022年上半年低保台账（身份证号已遮盖）: $(pwd)/out/dibao-2022H1.xlsx"
echo "特困人员台账填报模板: $(pwd)/out/tekun-template.xlsx"
echo "再试: ./build/src/cli/taizhang --db out/demo.db figures --period 2022H1 --unit 院前村 --local-admin"
echo
echo "登录账号（$(pwd)/out/accounts.txt）："
column -t out/accounts.txt 2>/dev/null || cat out/accounts.txt
echo
echo "正在启动网页服务（Ctrl+C 停止）；在浏览器中打开下面的地址："
exec ./build/src/cli/taizhang --db out/demo.db serve --port "${TZ_PORT:-8080}"
