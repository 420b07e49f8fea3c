#!/usr/bin/env bash
# The compose broker's entry point (issue 16): clients log in with SASL/SCRAM-SHA-512, the KRaft
# StandardAuthorizer allows only what an ACL allows, and `admin` is the one super-user.
#
# Why a script of ours instead of the image's own: the admin's password is a compose secret (a file),
# never container environment (`docker inspect`), and its SCRAM credential must be in the metadata log
# before the broker first starts (`kafka-storage format --add-scram`), which the image cannot do.
# So this script, started as root:
#  1. reads /run/secrets/kafka_admin_password (0600 on the host, hence root);
#  2. writes server.properties from the KAFKA_* variables (the official image's convention: KAFKA_FOO_BAR
#     is foo.bar, "__" is "_", "___" is "-") plus the JAAS lines that carry the password, and
#     admin.properties, the admin's client login for the operator's tools (docs/operations.md), both 0600;
#  3. formats an empty log directory once, with the admin's SCRAM credential, from an argument file so
#     the password never shows in a process list;
#  4. becomes the image's unprivileged `appuser` (when it has one) and runs the broker.
# The controller listener authenticates the same admin with SASL PLAIN: SCRAM cannot, its credentials
# live in the log the controller serves (as onematter_devtools.kafka does for `make run`).
set -euo pipefail
conf=/tmp/onematter-kafka
secret=/run/secrets/kafka_admin_password
password="$(tr -d '\r\n' < "$secret")"
if [[ ! "$password" =~ ^[A-Za-z0-9_.~+/=-]{16,}$ ]]; then
  echo "kafka: $secret must hold at least 16 characters of A-Z a-z 0-9 _ . ~ + / = -" >&2
  exit 1
fi
umask 077
mkdir -p "$conf"
props="$conf/server.properties"
skip='^KAFKA_(HEAP_OPTS|OPTS|JVM_.*|LOG4J_.*|GC_LOG_OPTS|JMX_.*|VERSION|TOOLS_.*)$'
: > "$props"
while IFS='=' read -r name value; do
  [[ "$name" =~ $skip ]] && continue
  key="$(echo "${name#KAFKA_}" | tr '[:upper:]' '[:lower:]' | sed -e 's/___/-/g' -e 's/__/@/g' -e 's/_/./g' -e 's/@/_/g')"
  echo "$key=$value" >> "$props"
done < <(env | grep '^KAFKA_[A-Z0-9_]*=')
scram="org.apache.kafka.common.security.scram.ScramLoginModule required"
plain="org.apache.kafka.common.security.plain.PlainLoginModule required"
cat >> "$props" <<EOF
listener.name.client.scram-sha-512.sasl.jaas.config=$scram username="admin" password="$password";
listener.name.controller.plain.sasl.jaas.config=$plain username="admin" password="$password" user_admin="$password";
EOF
cat > "$conf/admin.properties" <<EOF
security.protocol=SASL_PLAINTEXT
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=$scram username="admin" password="$password";
EOF

logs="$(sed -n 's/^log\.dirs=//p' "$props")"
logs="${logs:?KAFKA_LOG_DIRS is required}"
marker="$logs/.onematter-scram"
mkdir -p "$logs"
if [ -f "$logs/meta.properties" ] && [ ! -f "$marker" ]; then
  echo "kafka: $logs was formatted before Kafka took SASL logins and holds no admin credential;" \
       "see docs/operations.md (upgrading to Kafka authentication)" >&2
  exit 1
fi
if [ ! -f "$logs/meta.properties" ]; then
  args="$conf/format.args"
  printf '"%s"\n' kafka.tools.StorageTool format -t "${CLUSTER_ID:?}" -c "$props" \
    -S "SCRAM-SHA-512=[name=admin,password=$password]" > "$args"
  java -cp '/opt/kafka/libs/*' -Dlog4j.configuration=file:/opt/kafka/config/log4j.properties "@$args" \
    || { rm -f "$args"; exit 1; }
  rm -f "$args"
  touch "$marker"
fi

start=(/opt/kafka/bin/kafka-server-start.sh "$props")
if [ "$(id -u)" = 0 ] && id appuser >/dev/null 2>&1; then
  chown -R appuser: "$conf" "$logs"
  if command -v setpriv >/dev/null; then
    exec setpriv --reuid=appuser --regid=appuser --init-groups "${start[@]}"
  fi
  exec su -s /bin/bash appuser -c "exec ${start[*]}"
fi
exec "${start[@]}"
