#!/usr/bin/env bash
# Reads the flags of `redpanda start` that the compose file gives and starts
# Kafka with the same listeners (and Apicurio Registry on the registry
# address, when one is given); the other flags are Redpanda's own and ignored.
#   --kafka-addr=name://host:port,…             listeners
#   --advertise-kafka-addr=name://host:port,…   advertised listeners
#   --schema-registry-addr=host:port            the registry's address
#   --set redpanda.auto_create_topics_enabled=B
set -euo pipefail

listeners='internal://0.0.0.0:9092'
advertised=''
registry=''
auto_create=true
previous=''
for arg in "$@"; do
  case "$arg" in
    --kafka-addr=*) listeners="${arg#*=}" ;;
    --advertise-kafka-addr=*) advertised="${arg#*=}" ;;
    --schema-registry-addr=*) registry="${arg#*=}" ;;
    redpanda.auto_create_topics_enabled=*) [[ "$previous" == --set ]] && auto_create="${arg#*=}" ;;
  esac
  previous="$arg"
done
advertised="${advertised:-$listeners}"

# Kafka names listeners in upper case, each mapped to a plain-text protocol.
upper() { sed -E 's#(^|,)([a-z_]+)://#\1\U\2://#g' <<< "$1"; }
names="$(tr ',' '\n' <<< "$listeners" | sed -E 's#://.*##' | tr '[:lower:]' '[:upper:]')"
protocols="$(sed 's/$/:PLAINTEXT/' <<< "$names" | paste -sd,)"
first="$(head -1 <<< "$names")"

data=/var/lib/redpanda/data
config=/tmp/server.properties
cat > "$config" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:9093
listeners=$(upper "$listeners"),CONTROLLER://127.0.0.1:9093
advertised.listeners=$(upper "$advertised")
controller.listener.names=CONTROLLER
listener.security.protocol.map=$protocols,CONTROLLER:PLAINTEXT
inter.broker.listener.name=$first
log.dirs=$data/kafka
auto.create.topics.enable=$auto_create
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
group.initial.rebalance.delay.ms=0
log.cleaner.dedupe.buffer.size=33554432
num.network.threads=2
num.io.threads=4
PROPS

classpath='/opt/kafka/libs/*'
logging=-Dlog4j2.configurationFile=/opt/kafka/log4j2.properties
if [[ ! -f "$data/kafka/meta.properties" ]]; then
  java "$logging" -cp "$classpath" kafka.tools.StorageTool format -t "$(java -cp "$classpath" kafka.tools.StorageTool random-uuid | tail -1)" -c "$config"
fi

if [[ -n "$registry" ]]; then
  # Its H2 database lives in the volume: subjects and ids survive a restart, as
  # they do in Redpanda (which keeps them in a topic).
  REGISTRY_DATASOURCE_URL="jdbc:h2:file:$data/registry/registry" QUARKUS_HTTP_HOST="${registry%:*}" QUARKUS_HTTP_PORT="${registry##*:}" QUARKUS_LOG_LEVEL=WARN \
    java -Xmx256m -XX:TieredStopAtLevel=1 -jar /opt/registry/apicurio-registry-app-*-runner.jar &
  echo "$registry" > /tmp/registry-address
fi

exec java -Xms128m "-Xmx${KAFKA_HEAP:-512m}" -XX:+UseG1GC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true "$logging" \
  -cp "$classpath" kafka.Kafka "$config"
