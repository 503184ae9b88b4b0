#!/usr/bin/env bash
# A real Neo4j Community 5.26 for Cairn's tests, CI and benchmark, without Docker.
#
#   tests/neo4j/server.sh start   # prints bolt://127.0.0.1:PORT as its last line
#   tests/neo4j/server.sh stop
#
# `start` resolves Neo4j from Maven Central with Maven (tests/neo4j/launcher/pom.xml;
# the jars stay in ~/.m2 after the first run), compiles the small launcher once into a
# cache directory outside the work tree, and runs an embedded Neo4j DBMS with its Bolt
# connector on 127.0.0.1 at a port the OS picks. Authentication is DISABLED: connect
# with no credentials (any credentials given are ignored by the server).
#
# Environment:
#   NEO4J_TEST_HOME       data, logs (server.log, logs/), pid file, bolt.uri.
#                         Default: a fresh temporary directory, removed again by `stop`.
#                         `stop` uses NEO4J_TEST_HOME, else the home of the last `start`.
#   NEO4J_TEST_HEAP       JVM max heap (default 2g)
#   NEO4J_TEST_PAGECACHE  page cache in MiB (default 512)
#   NEO4J_TEST_SETTINGS   further Neo4j settings, NAME=VALUE separated by spaces (names as in
#                         neo4j.conf; an unknown name or bad value stops the start). Measured
#                         (bench/neo4j_ingest.py, 366k items, cold server, load 5-7; one save
#                         cost the server 21-23 s of CPU with the defaults): none of
#                         internal.cypher.expression_engine=INTERPRETED, no token lookup indexes
#                         (internal.dbms.index.skip_default_indexes_on_creation=true),
#                         dbms.cypher.min_replan_interval=1h, db.tx_state.memory_allocation=OFF_HEAP
#                         moved it beyond that noise, nor did Temurin 25 instead of Java 17. A JFR
#                         profile of that save: 54% committing (record commands, relationship
#                         chains, index updates), 27% running the Cypher (create, SET from map),
#                         8% parsing and planning; the C1 compiler threads 1-2 s, GC 1-3 s.
#                         Measured again (server CPU per item, load 4-10): db.tx_log.preallocate=false,
#                         dbms.memory.transaction.total.max=0 with db.memory.transaction.max=0 (no
#                         transaction memory limit), db.relationship_grouping_threshold=500, and -Xms2g
#                         (initial heap = max, as neo4j.conf advises) stayed within the ~8% noise.
#                         Again (4 December, one writer): without the token lookup indexes the 336k
#                         relationships cost 7.4 s against 7.6 s (no change). Nothing logs per query or
#                         transaction: logs/query.log stays empty (Community), debug.log holds the start
#                         and the index populations only.
#   NEO4J_TEST_JAVA_OPTS  further JVM options, separated by spaces: a profiler, say
#                         "-Xshare:off -XX:StartFlightRecording=filename=/tmp/save.jfr,settings=profile,dumponexit=true"
#                         (Java 17 with JFR crashes mapping the class-data archive, hence -Xshare:off).
#   NEO4J_TEST_JIT        quick (default): the JVM compiles with C1 only; full: C1 then C2.
#                         These servers live for a test session or a benchmark: with C2, a
#                         cold server spent as much CPU compiling as working in its first
#                         large save (bench/neo4j_ingest.py: 14-18 s of 30 s on 2 cores),
#                         and that save was 1.6x slower than with C1 only. Measured again
#                         (one writer, 366k items): a cold server spent 14-18 s of CPU with
#                         C1 only and 25-28 s with C2 (a third save into the same server, C2
#                         warm: 8 s); raising the C2 thresholds, lowering the C1 ones, more
#                         C1 inlining or the Parallel collector changed nothing measurable.
#   NEO4J_TEST_START_TIMEOUT  seconds to wait for Bolt after the JVM starts (default 180)
#   CAIRN_NEO4J_CACHE     where the classpath, the compiled launcher and its class-data archive
#                         are cached (default ${XDG_CACHE_HOME:-~/.cache}/cairn-neo4j)
#
# Class-data sharing: the first server of a cache records the classes it loaded into an
# archive (-XX:ArchiveClassesAtExit, written when it stops; `stop` moves it into the
# cache) and later servers map it (-XX:SharedArchiveFile) instead of loading and verifying
# those classes again: a start took 5.3-6.3 s of CPU without it and 3.7-4.0 s with it. It
# holds class metadata only, no compiled code: every server still starts with a cold JIT.
# A JVM that cannot use the archive (another JDK, say) starts without it.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
launcher_dir="$here/launcher"
last_home_file="${TMPDIR:-/tmp}/cairn-neo4j-test.last-home"

die() { echo "server.sh: $*" >&2; exit 1; }

# The classpath and compiled launcher, rebuilt only when the POM or launcher changes
# (or a cached jar has gone missing from ~/.m2).
build_launcher() {
    command -v java >/dev/null || die "java not found: Neo4j 5.26 needs Java 17 or 21 on PATH"
    command -v mvn >/dev/null || die "mvn not found: Maven resolves Neo4j from Maven Central"
    local digest
    digest="$(cat "$launcher_dir/pom.xml" "$launcher_dir/CairnNeo4jLauncher.java" | sha256sum | cut -c1-16)"
    cache="${CAIRN_NEO4J_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cairn-neo4j}/$digest"
    mkdir -p "$cache"
    (
        # Concurrent starts (pytest-xdist workers) build once; the others wait here.
        flock 9
        if [[ -f "$cache/ready" && -f "$cache/launcher.jar" ]] && tr ':' '\n' <"$cache/cp.txt" | while read -r jar; do [[ -f "$jar" ]] || exit 1; done; then
            exit 0
        fi
        rm -f "$cache/ready"
        mvn -q -B -f "$launcher_dir/pom.xml" dependency:build-classpath -Dmdep.outputFile="$cache/cp.txt" >"$cache/mvn.log" 2>&1 \
            || { cat "$cache/mvn.log" >&2; die "Maven could not resolve Neo4j (log above; is Maven Central reachable?)"; }
        rm -rf "$cache/classes" "$cache/classes.jsa"
        javac -nowarn -d "$cache/classes" -cp "$(cat "$cache/cp.txt")" "$launcher_dir/CairnNeo4jLauncher.java" \
            || die "could not compile the launcher"
        jar cf "$cache/launcher.jar" -C "$cache/classes" . || die "could not package the launcher"
        touch "$cache/ready"
    ) 9>"$cache/.lock"
    launcher_cp="$cache/launcher.jar:$(cat "$cache/cp.txt")"
}

# A Bolt handshake: the magic preamble and four protocol proposals (5.x, 4.4); a
# server that speaks Bolt answers with a non-zero version.
bolt_answers() {
    local port="$1" reply
    exec 3<>"/dev/tcp/127.0.0.1/$port" 2>/dev/null || return 1
    printf '\x60\x60\xb0\x17\x00\x08\x08\x05\x00\x00\x04\x04\x00\x00\x00\x00\x00\x00\x00\x00' >&3
    reply="$(timeout 5 head -c 4 <&3 | od -An -tx1 | tr -d ' \n')" || true
    exec 3>&-
    [[ -n "$reply" && "$reply" != "00000000" ]]
}

start() {
    local home="${NEO4J_TEST_HOME:-}"
    if [[ -z "$home" ]]; then
        home="$(mktemp -d "${TMPDIR:-/tmp}/cairn-neo4j.XXXXXX")"
        touch "$home/.created-by-server-sh"
    fi
    mkdir -p "$home"
    home="$(cd "$home" && pwd)"
    if [[ -f "$home/neo4j.pid" ]] && kill -0 "$(cat "$home/neo4j.pid")" 2>/dev/null; then
        die "a Neo4j already runs from $home (pid $(cat "$home/neo4j.pid")); stop it first"
    fi
    build_launcher
    rm -f "$home/bolt.uri"
    local jit=()
    case "${NEO4J_TEST_JIT:-quick}" in
        quick) jit=(-XX:TieredStopAtLevel=1) ;;
        full) ;;
        *) die "NEO4J_TEST_JIT must be quick or full, not ${NEO4J_TEST_JIT}" ;;
    esac
    # The class-data archive: map it if the cache has one, else record one when this server stops.
    local cds=()
    rm -f "$home/classes.jsa" "$home/classes.jsa.target"
    if [[ -f "$cache/classes.jsa" ]]; then
        cds=(-XX:SharedArchiveFile="$cache/classes.jsa")
    else
        cds=(-XX:ArchiveClassesAtExit="$home/classes.jsa")
        echo "$cache/classes.jsa" >"$home/classes.jsa.target"
    fi
    local settings=() java_opts=()
    read -r -a settings <<<"${NEO4J_TEST_SETTINGS:-}"
    read -r -a java_opts <<<"${NEO4J_TEST_JAVA_OPTS:-}"
    java "${jit[@]}" "${cds[@]}" -Xms256m -Xmx"${NEO4J_TEST_HEAP:-2g}" -XX:+UseG1GC -Dfile.encoding=UTF-8 \
        --add-opens=java.base/java.nio=ALL-UNNAMED \
        --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
        --add-opens=java.base/java.io=ALL-UNNAMED \
        --add-opens=java.base/java.lang=ALL-UNNAMED \
        --add-opens=java.base/java.util=ALL-UNNAMED \
        --add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
        --enable-native-access=ALL-UNNAMED "${java_opts[@]}" \
        -cp "$launcher_cp" CairnNeo4jLauncher "$home" 0 "${NEO4J_TEST_PAGECACHE:-512}" "${settings[@]}" \
        >>"$home/server.log" 2>&1 </dev/null &
    local pid=$!
    echo "$pid" >"$home/neo4j.pid"
    echo "$home" >"$last_home_file"

    local deadline=$((SECONDS + ${NEO4J_TEST_START_TIMEOUT:-180}))
    until [[ -s "$home/bolt.uri" ]]; do
        if ! kill -0 "$pid" 2>/dev/null; then
            grep -v '\[cds\]' "$home/server.log" | tail -n 40 >&2 || true
            # A server that never served records no class-data archive worth keeping.
            rm -f "$home/neo4j.pid" "$home/classes.jsa" "$home/classes.jsa.target"
            die "Neo4j exited during start-up (log: $home/server.log)"
        fi
        if ((SECONDS > deadline)); then
            tail -n 40 "$home/server.log" >&2 || true
            kill "$pid" 2>/dev/null || true
            die "Neo4j did not open Bolt within ${NEO4J_TEST_START_TIMEOUT:-180}s (log: $home/server.log)"
        fi
        sleep 0.2
    done
    local uri port
    uri="$(cat "$home/bolt.uri")"
    port="${uri##*:}"
    until bolt_answers "$port"; do
        ((SECONDS <= deadline)) || die "Bolt at $uri does not answer a handshake (log: $home/server.log)"
        sleep 0.2
    done
    echo "NEO4J_TEST_HOME=$home"
    echo "$uri"
}

# Move the class-data archive a stopped server recorded into the cache, unless another
# server's got there first; a copy then a rename, so a starting server never maps half a file.
keep_class_archive() {
    local home="$1" target
    [[ -f "$home/classes.jsa.target" ]] || return 0
    target="$(cat "$home/classes.jsa.target")"
    if [[ -s "$home/classes.jsa" && -d "$(dirname "$target")" && ! -f "$target" ]]; then
        cp "$home/classes.jsa" "$target.$$.tmp" && mv -f "$target.$$.tmp" "$target" || rm -f "$target.$$.tmp"
    fi
    rm -f "$home/classes.jsa" "$home/classes.jsa.target"
}

stop() {
    local home="${NEO4J_TEST_HOME:-}"
    if [[ -z "$home" && -f "$last_home_file" ]]; then
        home="$(cat "$last_home_file")"
    fi
    [[ -n "$home" ]] || die "no NEO4J_TEST_HOME given and no server started by this script"
    if [[ -f "$home/neo4j.pid" ]]; then
        local pid
        pid="$(cat "$home/neo4j.pid")"
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid"
            # The shutdown hook checkpoints the store; give it time before forcing.
            for _ in $(seq 1 600); do
                kill -0 "$pid" 2>/dev/null || break
                sleep 0.1
            done
            if kill -0 "$pid" 2>/dev/null; then
                echo "server.sh: Neo4j (pid $pid) ignored SIGTERM for 60s; killing it" >&2
                kill -KILL "$pid" 2>/dev/null || true
            fi
        fi
        rm -f "$home/neo4j.pid" "$home/bolt.uri"
    fi
    keep_class_archive "$home"
    if [[ -f "$home/.created-by-server-sh" ]]; then
        rm -rf "$home"
    fi
    if [[ -f "$last_home_file" && "$(cat "$last_home_file")" == "$home" ]]; then
        rm -f "$last_home_file"
    fi
    echo "stopped Neo4j at $home"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *) die "usage: $0 start|stop" ;;
esac
