#!/usr/bin/env bash
# Vendored from the project's shared/tools/local-slurm.sh (see shared/docs/slurm.md)
# so that tests/e2e/slurm_array.sh stands alone in a fresh clone. Changes: the
# SLURM_CPUS tunable (more CPUs than the host has, with config_overrides, so
# that several small MPI jobs run side by side on a 2-core CI machine).
#
# local-slurm.sh -- bring up a throw-away single-node SLURM cluster (munged +
# slurmctld + slurmd) on a Debian/Ubuntu host or container, as root, without
# systemd and without cgroups.  Intended for CI tests of sbatch/srun scripts
# (job arrays, --signal, scancel --signal, time-limit SIGTERM, requeue).
#
# Usage (as root):
#   local-slurm.sh            # = start: install (if needed), configure, start, wait for idle node
#   local-slurm.sh status     # show daemons and sinfo
#   local-slurm.sh stop       # stop slurmd, slurmctld and munged (by pid file)
#
# Tunables (environment):
#   SLURM_KILLWAIT=30      seconds between SIGTERM and SIGKILL at time limit / scancel (slurm default 30)
#   SLURM_CRED_EXPIRE=10   seconds; also how long a requeued batch job is held before it may restart
#                          (slurm default is 120 s, which makes requeue tests slow)
#   SLURM_NODE_MEM_MB=     RealMemory override (default: 90% of MemTotal)
#   SLURM_NO_INSTALL=1     never call apt-get (fail if binaries are missing)
#   SLURM_WAIT_S=90        how long to wait for the node to become idle
#   SLURM_CPUS=            CPUs the node advertises (default: nproc); more than the
#                          host has oversubscribes it (SlurmdParameters=config_overrides)
#
# Tested: Debian 12 (slurm-wlm 22.05.8, munge 0.5.15), 2 CPUs, no systemd.
# Everything lives in standard locations: /etc/slurm, /var/spool/slurmctld,
# /var/spool/slurmd, /var/log/slurm, /run/munge.

set -euo pipefail

CONF_DIR=/etc/slurm
CONF=$CONF_DIR/slurm.conf
STATE_DIR=/var/spool/slurmctld
SPOOL_DIR=/var/spool/slurmd
LOG_DIR=/var/log/slurm
CTLD_PID=/run/slurmctld.pid
SLURMD_PID=/run/slurmd.pid
MUNGE_PID=/run/munge/munged.pid
KILLWAIT=${SLURM_KILLWAIT:-30}
CRED_EXPIRE=${SLURM_CRED_EXPIRE:-10}
WAIT_S=${SLURM_WAIT_S:-90}

log() { printf '[local-slurm] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1" 2>/dev/null)" 2>/dev/null; }

stop_pidfile() { # $1 = pid file, $2 = name
  if pid_alive "$1"; then
    local pid; pid=$(cat "$1")
    log "stopping $2 (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then log "$2 did not exit, sending SIGKILL"; kill -KILL "$pid" 2>/dev/null || true; fi
  fi
  rm -f "$1"
}

do_stop() {
  stop_pidfile "$SLURMD_PID" slurmd
  stop_pidfile "$CTLD_PID" slurmctld
  stop_pidfile "$MUNGE_PID" munged
}

print_stop_help() {
  cat >&2 <<EOM
[local-slurm] To stop the cluster:
    $0 stop
  or by hand (PIDs from pid files):
    kill \$(cat $SLURMD_PID) \$(cat $CTLD_PID); kill \$(cat $MUNGE_PID)
  Logs: $LOG_DIR/slurmctld.log $LOG_DIR/slurmd.log $LOG_DIR/jobcomp.log, /var/log/munge/munged.log
EOM
}

do_status() {
  for p in "$MUNGE_PID:munged" "$CTLD_PID:slurmctld" "$SLURMD_PID:slurmd"; do
    f=${p%%:*}; n=${p##*:}
    if pid_alive "$f"; then echo "$n running (pid $(cat "$f"))"; else echo "$n NOT running"; fi
  done
  sinfo 2>&1 || true
}

install_pkgs() {
  local missing=()
  command -v munged    >/dev/null 2>&1 || missing+=(munge)
  command -v slurmctld >/dev/null 2>&1 || missing+=(slurmctld)
  command -v slurmd    >/dev/null 2>&1 || missing+=(slurmd)
  command -v sbatch    >/dev/null 2>&1 || missing+=(slurm-client)
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "${SLURM_NO_INSTALL:-0}" = 1 ] && die "missing packages: ${missing[*]} (SLURM_NO_INSTALL=1)"
  log "installing: slurm-wlm munge"
  export DEBIAN_FRONTEND=noninteractive
  # Packages' maintainer scripts may try to start services; without systemd that is harmless.
  apt-get install -y --no-install-recommends slurm-wlm munge >/dev/null 2>&1 || {
    apt-get update >/dev/null 2>&1 || true
    apt-get install -y --no-install-recommends slurm-wlm munge
  }
}

start_munge() {
  mkdir -p /etc/munge /var/lib/munge /var/log/munge /run/munge
  if [ ! -s /etc/munge/munge.key ]; then
    log "creating munge key"
    if [ -x /usr/sbin/mungekey ]; then
      /usr/sbin/mungekey --create --keyfile=/etc/munge/munge.key --force
    elif command -v create-munge-key >/dev/null 2>&1; then
      create-munge-key -f
    else
      dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 status=none
    fi
  fi
  # munged insists on strict ownership/permissions
  chown -R munge:munge /etc/munge /var/lib/munge /var/log/munge /run/munge
  chmod 0700 /etc/munge /var/lib/munge /var/log/munge
  chmod 0755 /run/munge
  chmod 0400 /etc/munge/munge.key
  if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    log "munged already running"
    return 0
  fi
  log "starting munged"
  if ! runuser -u munge -- /usr/sbin/munged 2>/dev/null; then
    # e.g. "Logfile is insecure" / "socket dir is insecure" in odd containers
    log "munged refused to start, retrying with --force"
    runuser -u munge -- /usr/sbin/munged --force
  fi
  for _ in $(seq 1 50); do
    munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  die "munge does not work (see /var/log/munge/munged.log)"
}

write_conf() {
  local node cpus mem_mb conf_new
  node=$(hostname -s)
  cpus=$(nproc)
  local overrides=""
  if [ -n "${SLURM_CPUS:-}" ] && [ "$SLURM_CPUS" != "$cpus" ]; then
    cpus=$SLURM_CPUS
    overrides="SlurmdParameters=config_overrides"
  fi
  if [ -n "${SLURM_NODE_MEM_MB:-}" ]; then
    mem_mb=$SLURM_NODE_MEM_MB
  else
    mem_mb=$(awk '/^MemTotal:/ {printf "%d", $2/1024*0.9}' /proc/meminfo)
  fi
  mkdir -p "$CONF_DIR" "$STATE_DIR" "$SPOOL_DIR" "$LOG_DIR"
  conf_new=$(mktemp)
  cat > "$conf_new" <<EOC
# Generated by local-slurm.sh -- single-node test cluster, no cgroups, no accounting db.
ClusterName=localci
# NodeAddr/ctld address pinned to 127.0.0.1 so no DNS / /etc/hosts entry is needed
SlurmctldHost=${node}(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
# cred_expire also sets how long a requeued batch job is held before it can run again
AuthInfo=cred_expire=${CRED_EXPIRE}
SlurmctldPort=6817
SlurmdPort=6818
StateSaveLocation=${STATE_DIR}
SlurmdSpoolDir=${SPOOL_DIR}
SlurmctldPidFile=${CTLD_PID}
SlurmdPidFile=${SLURMD_PID}
SlurmctldLogFile=${LOG_DIR}/slurmctld.log
SlurmdLogFile=${LOG_DIR}/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
# no cgroups: plain process tracking, no task binding, no accounting gather
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
# one line per finished job (JobId, state, exit code...) -- sacct needs slurmdbd, this does not
JobCompType=jobcomp/filetxt
JobCompLoc=${LOG_DIR}/jobcomp.log
SchedulerType=sched/backfill
# short intervals so requeued / pending jobs start quickly in tests (defaults: 60 s / 30 s)
SchedulerParameters=sched_interval=5,bf_interval=5
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
JobRequeue=1
KillWait=${KILLWAIT}
MinJobAge=300
SlurmctldTimeout=60
SlurmdTimeout=60
InactiveLimit=0
Waittime=0
${overrides}
NodeName=${node} NodeAddr=127.0.0.1 CPUs=${cpus} RealMemory=${mem_mb} State=UNKNOWN
PartitionName=debug Nodes=${node} Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
EOC
  # cgroup.conf is only read by cgroup plugins; an empty one keeps some versions quiet
  [ -f "$CONF_DIR/cgroup.conf" ] || echo "# not used (proctrack/linuxproc, task/none)" > "$CONF_DIR/cgroup.conf"
  if [ -f "$CONF" ] && cmp -s "$conf_new" "$CONF"; then
    rm -f "$conf_new"; return 1          # unchanged
  fi
  [ -f "$CONF" ] && cp -f "$CONF" "$CONF.bak"
  mv -f "$conf_new" "$CONF"; chmod 0644 "$CONF"
  log "wrote $CONF (node=$node cpus=$cpus mem=${mem_mb}MB)"
  return 0                               # changed
}

start_slurm() {
  local changed=$1
  if [ "$changed" = 1 ] && { pid_alive "$CTLD_PID" || pid_alive "$SLURMD_PID"; }; then
    log "slurm.conf changed -> restarting daemons"
    stop_pidfile "$SLURMD_PID" slurmd
    stop_pidfile "$CTLD_PID" slurmctld
  fi
  if ! pid_alive "$CTLD_PID"; then
    log "starting slurmctld"
    slurmctld          # daemonizes, writes $CTLD_PID
  else
    log "slurmctld already running (pid $(cat "$CTLD_PID"))"
  fi
  for _ in $(seq 1 50); do scontrol ping 2>/dev/null | grep -q 'is UP' && break; sleep 0.2; done
  if ! pid_alive "$SLURMD_PID"; then
    log "starting slurmd"
    slurmd             # daemonizes, writes $SLURMD_PID
  else
    log "slurmd already running (pid $(cat "$SLURMD_PID"))"
  fi
}

wait_idle() {
  local node state i
  node=$(hostname -s)
  for i in $(seq 1 $((WAIT_S * 2))); do
    state=$(sinfo -h -n "$node" -o '%t' 2>/dev/null | head -n1 || true)
    case "$state" in
      idle|mix|alloc) log "node $node is $state"; sinfo; return 0 ;;
      drain*|down|drng|fail*)
        # e.g. after a restart: "Node unexpectedly rebooted" / "Low RealMemory"
        if [ $((i % 10)) = 0 ]; then
          log "node state '$state' ($(sinfo -h -n "$node" -o '%E')) -> resuming"
          scontrol update NodeName="$node" State=RESUME 2>/dev/null || true
        fi ;;
    esac
    sleep 0.5
  done
  log "node did not become idle within ${WAIT_S}s; last state: '${state:-?}'"
  sinfo -R 2>&1 || true
  tail -n 20 "$LOG_DIR/slurmctld.log" "$LOG_DIR/slurmd.log" >&2 || true
  return 1
}

main() {
  [ "$(id -u)" = 0 ] || die "must run as root"
  case "${1:-start}" in
    stop)   do_stop; exit 0 ;;
    status) do_status; exit 0 ;;
    start)  ;;
    *) die "usage: $0 [start|stop|status]" ;;
  esac
  local t0=$SECONDS changed=0
  install_pkgs
  start_munge
  if write_conf; then changed=1; fi
  start_slurm "$changed"
  wait_idle || { print_stop_help; exit 1; }
  log "cluster ready in $((SECONDS - t0)) s"
  print_stop_help
}

main "$@"
