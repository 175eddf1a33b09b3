#!/usr/bin/env bash
# A 3-node session-timer cluster of the example app behind Kamailio, on 127.0.0.1 (README "Cluster").
#
#   cluster/run.sh start      build the app if needed, start Kamailio and nodes 1-3, wait until all are up
#   cluster/run.sh status     who is up, and the calls of the cluster with their owners
#   cluster/run.sh kill N     SIGKILL node N (a crash: no BYE, no goodbye to the cluster)
#   cluster/run.sh restart N  start node N again
#   cluster/run.sh stop       stop everything
#
# Ports (override with the environment): the front door SIP_PORT (5060, udp+tcp); node N listens for SIP on
# NODE_SIP_BASE+N (5070+N), for HTTP on NODE_HTTP_BASE+N (8080+N) and for the cluster on NODE_CLUSTER_BASE+N (7800+N).
# Extra -D options for every node go in NODE_OPTS (e.g. the lab floor: see README); NODE_TIMEOUT_MS is how long the
# front door waits for a node before it tries another (2000). Logs and pids: WORK (cluster/target/).
# A node may run elsewhere than on 127.0.0.1, e.g. in a network namespace of a test: NODE_<n>_NETNS (run it there),
# NODE_<n>_HOST (its SIP and HTTP address), NODE_<n>_CLUSTER_HOST (its cluster address), NODE_<n>_PROXY_HOST (the
# front door's address it uses as outbound proxy); FRONT_DOOR_EXTRA_HOST is a second address for the front door to
# listen on, one such a node can reach. Calls a node places go out through the front door (its outbound proxy).
# For measurements (sipp/bench-cluster.sh): JAR (the app, default routes-example/target/routes-example.jar),
# CLUSTERED=false (nodes with the in-memory store, each on its own), DISPATCH_TO (the nodes the front door hashes new
# calls over, e.g. "1"; default all), FRONT_DOOR_SHM_MB (Kamailio's shared memory, default 64: raise it for hundreds
# of calls per second).
set -euo pipefail
cd "$(dirname "$0")/.."

SIP_PORT=${SIP_PORT:-5060}
NODE_SIP_BASE=${NODE_SIP_BASE:-5070}
NODE_HTTP_BASE=${NODE_HTTP_BASE:-8080}
NODE_CLUSTER_BASE=${NODE_CLUSTER_BASE:-7800}
NODES=${NODES:-3}
NODE_OPTS=${NODE_OPTS:-}
NODE_TIMEOUT_MS=${NODE_TIMEOUT_MS:-2000}
WORK=${WORK:-cluster/target}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
JAR=${JAR:-routes-example/target/routes-example.jar}
CLUSTERED=${CLUSTERED:-true}
DISPATCH_TO=${DISPATCH_TO:-$(seq 1 "$NODES")}
FRONT_DOOR_SHM_MB=${FRONT_DOOR_SHM_MB:-64}
KAMAILIO=${KAMAILIO:-$(command -v kamailio || echo /usr/sbin/kamailio)}

node_var() { # node_var N NAME DEFAULT: the value of NODE_<N>_<NAME>, or DEFAULT
  local name="NODE_$1_$2"
  echo "${!name:-$3}"
}

members() {
  local list="" n
  for n in $(seq 1 "$NODES"); do
    list="$list${list:+,}$(node_var "$n" CLUSTER_HOST 127.0.0.1)[$((NODE_CLUSTER_BASE + n))]"
  done
  echo "$list"
}

start_node() {
  local n=$1 host prefix=()
  host=$(node_var "$n" HOST 127.0.0.1)
  [ -n "$(node_var "$n" NETNS "")" ] && prefix=(ip netns exec "$(node_var "$n" NETNS "")")
  # shellcheck disable=SC2086
  "${prefix[@]}" java -XX:MaxGCPauseMillis=25 $NODE_OPTS \
    -Dcamel.component.session-timer.host="$host" -Dcamel.component.session-timer.port=$((NODE_SIP_BASE + n)) \
    -Dcamel.server.host="$host" -Dcamel.server.port=$((NODE_HTTP_BASE + n)) \
    -Dcamel.management.host="$host" -Dcamel.management.port=$((NODE_HTTP_BASE + n)) \
    -Dcamel.component.session-timer.clustered="$CLUSTERED" \
    -Dcamel.component.session-timer.cluster-node-name=node-$n \
    -Dcamel.component.session-timer.cluster-bind-address="$(node_var "$n" CLUSTER_HOST 127.0.0.1)" \
    -Dcamel.component.session-timer.cluster-bind-port=$((NODE_CLUSTER_BASE + n)) \
    "-Dcamel.component.session-timer.cluster-members=$(members)" \
    "-Dcamel.component.session-timer.outbound-proxy=sip:$(node_var "$n" PROXY_HOST 127.0.0.1):$SIP_PORT;lr" \
    -jar "$JAR" >> "$WORK/node-$n.log" 2>&1 &
  echo $! > "$WORK/node-$n.pid"
}

http_of() {
  echo "http://$(node_var "$1" HOST 127.0.0.1):$((NODE_HTTP_BASE + $1))"
}

await_up() {
  local n=$1 i
  for i in $(seq 1 120); do
    if curl -sf "$(http_of "$n")/observe/health" > /dev/null 2>&1; then
      echo "node-$n up: SIP $(node_var "$n" HOST 127.0.0.1):$((NODE_SIP_BASE + n)), HTTP $(http_of "$n")"
      return 0
    fi
    if ! kill -0 "$(cat "$WORK/node-$n.pid")" 2> /dev/null; then
      echo "node-$n exited; see $WORK/node-$n.log" >&2
      return 1
    fi
    sleep 0.5
  done
  echo "node-$n not up after 60 s; see $WORK/node-$n.log" >&2
  return 1
}

stop_pid() {
  local file=$1 signal=${2:-TERM}
  if [ -f "$file" ]; then
    kill -"$signal" "$(cat "$file")" 2> /dev/null || true
    rm -f "$file"
  fi
}

case "${1:-}" in
  start)
    [ -x "$KAMAILIO" ] || { echo "kamailio is not installed: apt-get install kamailio" >&2; exit 1; }
    [ -f "$JAR" ] || mvn -B -q package -DskipTests -pl routes-example -am
    : > "$WORK/dispatcher.list"
    for n in $DISPATCH_TO; do
      echo "1 sip:$(node_var "$n" HOST 127.0.0.1):$((NODE_SIP_BASE + n))" >> "$WORK/dispatcher.list"
    done
    extra=()
    if [ -n "${FRONT_DOOR_EXTRA_HOST:-}" ]; then
      extra=(-A "LISTEN_UDP_2=udp:$FRONT_DOOR_EXTRA_HOST:$SIP_PORT" -A "LISTEN_TCP_2=tcp:$FRONT_DOOR_EXTRA_HOST:$SIP_PORT")
    fi
    "$KAMAILIO" -DD -E -m "$FRONT_DOOR_SHM_MB" -f cluster/kamailio.cfg -w "$WORK" "${extra[@]}" \
      -A "LISTEN_UDP=udp:127.0.0.1:$SIP_PORT" -A "LISTEN_TCP=tcp:127.0.0.1:$SIP_PORT" \
      -A "DISPATCHER_LIST=\"$WORK/dispatcher.list\"" -A "NODE_TIMEOUT_MS=$NODE_TIMEOUT_MS" > "$WORK/kamailio.log" 2>&1 &
    echo $! > "$WORK/kamailio.pid"
    # the first node forms the cluster, the others join it (started together, they could each form one and merge)
    start_node 1
    await_up 1
    for n in $(seq 2 "$NODES"); do start_node "$n"; done
    for n in $(seq 2 "$NODES"); do await_up "$n"; done
    kill -0 "$(cat "$WORK/kamailio.pid")" 2> /dev/null || { echo "kamailio exited; see $WORK/kamailio.log" >&2; exit 1; }
    echo "front door (Kamailio): sip:127.0.0.1:$SIP_PORT (udp, tcp); log $WORK/kamailio.log"
    ;;
  kill)
    stop_pid "$WORK/node-${2:?node number}.pid" KILL
    echo "node-$2 killed"
    ;;
  restart)
    start_node "${2:?node number}"
    await_up "$2"
    ;;
  status)
    for n in $(seq 1 "$NODES"); do
      if curl -sf "$(http_of "$n")/observe/health" > /dev/null 2>&1; then
        echo "node-$n up"
        last=$n
      else
        echo "node-$n down"
      fi
    done
    [ -n "${last:-}" ] && curl -s "$(http_of "$last")/api/calls" && echo
    ;;
  stop)
    for n in $(seq 1 "$NODES"); do stop_pid "$WORK/node-$n.pid"; done
    stop_pid "$WORK/kamailio.pid"
    echo "stopped"
    ;;
  *)
    sed -n '2,18p' "$0"
    exit 1
    ;;
esac
