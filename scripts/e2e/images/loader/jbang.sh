#!/bin/sh
# `jbang` in the e2e loader image: JBang 0.132.1 with the dependencies resolved at image build time.
# Copies them into $JBANG_REPO (an emptyDir in the Job), then follows JBang's launcher protocol offline:
# exit code 255 means "exec the command printed on stdout".
set -u
repo="${JBANG_REPO:-$HOME/.m2/repository}"
mkdir -p "$repo" && cp -Rn /opt/jbang/m2/. "$repo"/ || exit 1
export JBANG_RUNTIME_SHELL=bash
[ -t 0 ] || export JBANG_STDIN_NOTTY=true
output=$(java -jar /opt/jbang/jbang.jar --offline "$@")
rc=$?
if [ "$rc" -eq 255 ]; then
  eval "exec $output"
fi
[ -n "$output" ] && printf '%s\n' "$output"
exit "$rc"
