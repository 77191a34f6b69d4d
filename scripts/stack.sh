#!/usr/bin/env bash
# The local stack without Docker (DESIGN §7): a single-node Apache Kafka broker
# (KRaft) resolved from Maven Central and run with java, a Confluent-compatible
# Schema Registry (Apicurio Registry, in memory, from Maven Central) for the
# tests of registry mode, plus the `medly` database on the machine's Postgres.
#
#   scripts/stack.sh up      start (idempotent: a running broker is left alone)
#   scripts/stack.sh down    stop the broker cleanly (idempotent)
#   scripts/stack.sh status  print whether it runs
#   scripts/stack.sh resolve fetch the broker's jars and the registry's distribution
#                            into .tools/ without starting anything (the container
#                            stand-ins are built from them)
#
# Environment: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), KAFKA_HEAP (512m),
# REGISTRY_PORT (18081: compose's registry has 8081; its API is under /apis/ccompat/v7;
# `off`: no registry, as the tests' private brokers want),
# STACK_DIR (.stack), PGHOST/PGPORT/PGUSER (127.0.0.1/5432/postgres), PGDATABASE_NAME (medly).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
stack_dir="${STACK_DIR:-$root/.stack}"
libs="$root/.tools/kafka/libs"
registry_dir="$root/.tools/registry"
# Apicurio Registry's runnable distribution (a Quarkus runner jar and its lib/),
# as Maven Central serves it: 3.x's app jar is there, but not the modules it needs.
registry_version=2.6.13.Final
kafka_port="${KAFKA_PORT:-9092}"
controller_port="${KAFKA_CONTROLLER_PORT:-9093}"
heap="${KAFKA_HEAP:-512m}"
pid_file="$stack_dir/kafka.pid"
log_file="$stack_dir/kafka.log"
data_dir="$stack_dir/kafka-data"

registry_port="${REGISTRY_PORT:-18081}"
registry_pid_file="$stack_dir/registry.pid"
registry_log_file="$stack_dir/registry.log"

log() { echo "stack: $*" >&2; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

broker_running() { [[ -f "$pid_file" ]] && kill -0 "$(cat "$pid_file")" 2>/dev/null; }

resolve_kafka() {
  local pom="$root/scripts/kafka/pom.xml"
  local stamp="$libs/.pom.sha256"
  local want; want="$(sha256sum "$pom" | cut -d' ' -f1)"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then return; fi
  log "resolving Apache Kafka from Maven Central into .tools/kafka/libs"
  rm -rf "$libs"
  mvn -q -B --no-transfer-progress -Dstyle.color=never -f "$pom" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$libs"
  echo "$want" > "$stamp"
}

resolve_registry() {
  local artifact="io.apicurio:apicurio-registry-app:$registry_version:zip:all"
  if [[ -f "$registry_dir/.artifact" && "$(cat "$registry_dir/.artifact")" == "$artifact" ]]; then return; fi
  log "resolving Apicurio Registry $registry_version from Maven Central into .tools/registry"
  rm -rf "$registry_dir" && mkdir -p "$registry_dir"
  # skipExternalRepos: the artifact's parent POM names repositories beyond Maven Central.
  mvn -q -B --no-transfer-progress -Dstyle.color=never -DskipExternalRepos=true dependency:copy \
    -Dartifact="$artifact" -DoutputDirectory="$registry_dir" -Dmdep.stripVersion=true
  (cd "$registry_dir" && jar xf apicurio-registry-app-all.zip && rm apicurio-registry-app-all.zip)
  echo "$artifact" > "$registry_dir/.artifact"
}

write_properties() {
  cat > "$stack_dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$kafka_port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$kafka_port
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$data_dir
# Like production: topics are created deliberately by the producer, never by accident.
auto.create.topics.enable=false
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
group.initial.rebalance.delay.ms=0
# Compaction runs often enough that tests can observe it.
log.cleaner.backoff.ms=5000
# The cleaner's offset map is allocated on the heap at start-up (128 MiB by default):
# with the tests' small private brokers (256m) a restart could fail with OutOfMemoryError.
log.cleaner.dedupe.buffer.size=33554432
num.network.threads=2
num.io.threads=4
PROPS
}

up_kafka() {
  if broker_running; then log "kafka already running (pid $(cat "$pid_file")) on :$kafka_port"; return; fi
  if port_open "$kafka_port"; then log "port $kafka_port is taken by another process"; exit 1; fi
  resolve_kafka
  mkdir -p "$stack_dir"
  write_properties
  local classpath="$libs/*"
  if [[ ! -f "$data_dir/meta.properties" ]]; then
    local cluster_id; cluster_id="$(java -cp "$classpath" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)"
    java -Dlog4j2.configurationFile="$root/scripts/kafka/log4j2.properties" -cp "$classpath" \
      kafka.tools.StorageTool format -t "$cluster_id" -c "$stack_dir/server.properties" >> "$log_file" 2>&1
  fi
  log "starting kafka on 127.0.0.1:$kafka_port (heap $heap)"
  nohup java -Xms128m "-Xmx$heap" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:TieredStopAtLevel=1 \
    -Djava.awt.headless=true -Dlog4j2.configurationFile="$root/scripts/kafka/log4j2.properties" \
    -cp "$classpath" kafka.Kafka "$stack_dir/server.properties" >> "$log_file" 2>&1 < /dev/null &
  echo $! > "$pid_file"
  for _ in $(seq 1 120); do
    if grep -q "Kafka Server started" "$log_file" 2>/dev/null && port_open "$kafka_port"; then
      log "kafka is up (pid $(cat "$pid_file"))"; return
    fi
    if ! broker_running; then log "kafka exited during start; last lines of $log_file:"; tail -20 "$log_file" >&2; exit 1; fi
    sleep 0.5
  done
  log "kafka did not answer within 60 s; see $log_file"; exit 1
}

down_kafka() {
  if ! broker_running; then rm -f "$pid_file"; log "kafka not running"; return; fi
  local pid; pid="$(cat "$pid_file")"
  log "stopping kafka (pid $pid)"
  kill -TERM "$pid"
  for _ in $(seq 1 60); do
    if ! kill -0 "$pid" 2>/dev/null; then rm -f "$pid_file"; log "kafka stopped"; return; fi
    sleep 0.5
  done
  log "kafka did not stop within 30 s; killing it"
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$pid_file"
}

registry_running() { [[ -f "$registry_pid_file" ]] && kill -0 "$(cat "$registry_pid_file")" 2>/dev/null; }

up_registry() {
  if [[ "$registry_port" == off ]]; then return; fi
  if registry_running; then log "registry already running (pid $(cat "$registry_pid_file")) on :$registry_port"; return; fi
  if port_open "$registry_port"; then log "port $registry_port is taken by another process"; exit 1; fi
  resolve_registry
  mkdir -p "$stack_dir"
  log "starting the schema registry on 127.0.0.1:$registry_port"
  QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT="$registry_port" QUARKUS_LOG_LEVEL=WARN \
    nohup java -Xmx256m -XX:TieredStopAtLevel=1 -jar "$registry_dir"/apicurio-registry-app-*-runner.jar >> "$registry_log_file" 2>&1 < /dev/null &
  echo $! > "$registry_pid_file"
  for _ in $(seq 1 120); do
    if port_open "$registry_port"; then log "registry is up (pid $(cat "$registry_pid_file")): http://127.0.0.1:$registry_port/apis/ccompat/v7"; return; fi
    if ! registry_running; then log "the registry exited during start; last lines of $registry_log_file:"; tail -20 "$registry_log_file" >&2; exit 1; fi
    sleep 0.5
  done
  log "the registry did not answer within 60 s; see $registry_log_file"; exit 1
}

down_registry() {
  if ! registry_running; then rm -f "$registry_pid_file"; return; fi
  local pid; pid="$(cat "$registry_pid_file")"
  kill -TERM "$pid"
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$registry_pid_file"
  log "registry stopped"
}

up_postgres() {
  local host="${PGHOST:-127.0.0.1}" port="${PGPORT:-5432}" user="${PGUSER:-postgres}" db="${PGDATABASE_NAME:-medly}"
  if ! pg_isready -q -h "$host" -p "$port"; then
    log "postgres is not answering on $host:$port"
    if command -v pg_ctlcluster >/dev/null && [[ "$host" == "127.0.0.1" ]]; then
      log "starting the machine's postgres cluster"
      pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | tail -1)" main start
    fi
    for _ in $(seq 1 20); do pg_isready -q -h "$host" -p "$port" && break; sleep 0.5; done
    pg_isready -q -h "$host" -p "$port" || { log "postgres unavailable on $host:$port"; exit 1; }
  fi
  if [[ "$(psql -h "$host" -p "$port" -U "$user" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" != "1" ]]; then
    psql -h "$host" -p "$port" -U "$user" -d postgres -qc "CREATE DATABASE \"$db\""
    log "created database $db"
  fi
  log "postgres is up on $host:$port (database $db)"
}

case "${1:-}" in
  up) up_postgres; up_kafka; up_registry ;;
  down) down_registry; down_kafka ;;
  resolve) resolve_kafka; resolve_registry ;;
  status)
    if broker_running; then echo "kafka running (pid $(cat "$pid_file"))"; else echo "kafka stopped"; fi
    if registry_running; then echo "registry running (pid $(cat "$registry_pid_file"))"; else echo "registry stopped"; fi ;;
  *) echo "usage: $0 up|down|status|resolve" >&2; exit 2 ;;
esac
