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
if [ "$(id -u)" != 0 ]; then
    echo "run-instance: the master daemon starts as root (it drops privileges per daemon); run as root" >&2
    exit 1
fi
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
    cp "$top/conf/main.cf" "$conf/main.cf"
    # postconf -e edits the sample in place, as an administrator would.
    "$bin/postconf" -c "$conf" -e \
        "queue_directory = $run/spool" \
        "data_directory = $run/data" \
        "command_directory = $bin" \
        "daemon_directory = $bin" \
        "meta_directory = $top/conf" \
        "mail_owner = $owner" \
        "setgid_group = $group" \
        "maillog_file = $run/maillog" \
        "inet_interfaces = 127.0.0.1" \
        "inet_protocols = ipv4" \
        "mydestination = \$myhostname, localhost.\$mydomain, localhost" \
        "mail_spool_directory = $run/mail" \
        "alias_maps = hash:$conf/aliases" \
        "alias_database = hash:$conf/aliases"
    printf 'postmaster: root\n' > "$conf/aliases"
fi
if [ ! -f "$conf/master.cf" ]; then
    sed 's/^smtp\([ 	]*inet\)/127.0.0.1:2525\1/' "$top/conf/master.cf" > "$conf/master.cf"
fi
# The data directory belongs to mail_owner; the set-gid submission
# commands to setgid_group, so that local users can send mail too.
chown "$owner" "$run/data"
for prog in postdrop postqueue postlog; do
    [ -f "$bin/$prog" ] && chgrp "$group" "$bin/$prog" && chmod 2755 "$bin/$prog"
done
# Chrooted services need a few files from /etc inside the queue directory.
POSTCONF="$bin/postconf" sh "$top/examples/chroot-setup/LINUX2" -c "$conf" >/dev/null

echo "run-instance: configuration in $conf, queue in $run/spool, log in $run/maillog"
"$bin/postalias" -c "$conf" "$conf/aliases"
"$bin/postfix" -c "$conf" start || exit 1
cat <<EOT
run-instance: running. Try:
    swaks --server 127.0.0.1:2525 --to $(id -un)@localhost
    $bin/sendmail -C $conf $(id -un)@localhost < some-message
    $bin/postqueue -c $conf -p
Mail for local users goes to $run/mail/USER; "make stop" stops the instance.
EOT
