#!/bin/sh
# run-instance.sh - the private instance behind "make run" and "make stop".
#
# Everything lives under ./run in the checkout: run/etc (main.cf, master.cf),
# run/spool (queue), run/data, run/maillog, and mailboxes under run/mail.
# SMTP listens on 127.0.0.1:2525. The programs are those of ./build/bin.

top=$(cd "$(dirname "$0")/.." && pwd)
run=$top/run
bin=$top/build/bin
conf=$run/etc

if [ "$1" = stop ]; then
    if [ -x "$bin/postfix" ] && [ -f "$conf/main.cf" ]; then
        exec "$bin/postfix" -c "$conf" stop
    fi
    echo "run-instance: nothing to stop"
    exit 0
fi

owner=$(id -un)
group=$(id -gn)
if [ "$(id -u)" = 0 ]; then
    # Daemons never run as root: use a dedicated unprivileged account.
    id pfrun >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin \
        --user-group pfrun
    getent group pfrundrop >/dev/null 2>&1 || groupadd --system pfrundrop
    owner=pfrun
    group=pfrundrop
fi

mkdir -p "$conf" "$run/spool" "$run/data" "$run/mail"
chmod 1777 "$run/mail"
if [ ! -f "$conf/main.cf" ]; then
    cp "$top/conf/main.cf" "$conf/main.cf" 2>/dev/null || : > "$conf/main.cf"
    cat >> "$conf/main.cf" <<EOT

# Settings of the private instance made by "make run".
queue_directory = $run/spool
data_directory = $run/data
command_directory = $bin
daemon_directory = $bin
meta_directory = $top/conf
mail_owner = $owner
setgid_group = $group
maillog_file = $run/maillog
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mail_spool_directory = $run/mail
alias_maps = hash:$conf/aliases
alias_database = hash:$conf/aliases
EOT
    printf 'postmaster: root\n' > "$conf/aliases"
fi
if [ ! -f "$conf/master.cf" ] && [ -f "$top/conf/master.cf" ]; then
    sed 's/^smtp\([ 	]*inet\)/127.0.0.1:2525\1/' "$top/conf/master.cf" > "$conf/master.cf"
fi

echo "run-instance: configuration in $conf, queue in $run/spool, log in $run/maillog"
if [ ! -x "$bin/postfix" ] || [ ! -x "$bin/master" ]; then
    echo "run-instance: the master daemon and the postfix command are not built yet;"
    echo "run-instance: what works today: $(ls "$bin" 2>/dev/null | tr '\n' ' ')"
    echo "run-instance: e.g. $bin/postconf -c $conf -n"
    exit 0
fi
[ -x "$bin/postalias" ] && "$bin/postalias" -c "$conf" "$conf/aliases"
exec "$bin/postfix" -c "$conf" start
