#!/bin/sh
# post-install.sh - install a build in the Postfix layout.
#
# Usage: sh conf/post-install.sh BUILD_DIR [DESTDIR]
#
# Installation parameters (config_directory, command_directory,
# daemon_directory, queue_directory, data_directory, meta_directory,
# manpage_directory, sendmail_path, newaliases_path, mailq_path, mail_owner,
# setgid_group) come from the environment (make passes its command-line
# variables), else from the values compiled in by makedefs (conf/makedefs.out).
# Values that differ from the compiled-in ones are written to the installed
# main.cf, so the installed instance finds its own directories.
#
# What to install is listed in conf/postfix-files. Ownership is set only when
# running as root and the owner exists; otherwise the installer says so and
# leaves it to "postfix set-permissions".

set -e
build=${1:?usage: post-install.sh BUILD_DIR [DESTDIR]}
destdir=${2:-}
top=$(cd "$(dirname "$0")/.." && pwd)
makedefs_out=$top/conf/makedefs.out

say() { echo "post-install: $*"; }

# compiled NAME - the value makedefs compiled in for an installation parameter
compiled() {
    upper=$(echo "$1" | tr a-z A-Z)
    sed -n "s/.*-DDEF_${upper}=\\\\\"\\([^\\\\]*\\)\\\\\".*/\\1/p" "$makedefs_out" | head -1
}

params="config_directory command_directory daemon_directory queue_directory data_directory
        meta_directory manpage_directory sendmail_path newaliases_path mailq_path mail_owner
        setgid_group"
changed=""
for p in $params; do
    c=$(compiled "$p")
    eval "v=\${$p:-}"
    if [ -n "$v" ] && [ "$v" != "$c" ]; then
        changed="$changed $p"
    else
        eval "$p=\$c"
    fi
done

am_root=no
[ "$(id -u)" = 0 ] && am_root=yes
owner_warned=no

# expand TEXT - replace $parameter references with their values
expand() {
    echo "$1" | sed -e "s|\$config_directory|$config_directory|g" \
        -e "s|\$command_directory|$command_directory|g" \
        -e "s|\$daemon_directory|$daemon_directory|g" \
        -e "s|\$queue_directory|$queue_directory|g" \
        -e "s|\$data_directory|$data_directory|g" \
        -e "s|\$meta_directory|$meta_directory|g" \
        -e "s|\$manpage_directory|$manpage_directory|g" \
        -e "s|\$sendmail_path|$sendmail_path|g" \
        -e "s|\$newaliases_path|$newaliases_path|g" \
        -e "s|\$mailq_path|$mailq_path|g" \
        -e "s|\$mail_owner|$mail_owner|g" \
        -e "s|\$setgid_group|$setgid_group|g"
}

# set_owner PATH OWNER GROUP - chown when we can
set_owner() {
    [ "$2" = "-" ] && [ "$3" = "-" ] && return 0
    if [ $am_root = yes ] && { [ "$2" = "-" ] || id "$2" >/dev/null 2>&1; } \
       && { [ "$3" = "-" ] || getent group "$3" >/dev/null 2>&1; }; then
        spec=""
        [ "$2" != "-" ] && spec=$2
        [ "$3" != "-" ] && spec="$spec:$3"
        chown "$spec" "$1"
    elif [ $owner_warned = no ]; then
        say "not setting ownership (not root, or $mail_owner/$setgid_group missing); run 'postfix set-permissions' later"
        owner_warned=yes
    fi
}

# source_of PATH - where the build keeps the file that PATH installs
source_of() {
    base=$(basename "$1")
    case "$1" in
    "$meta_directory/main.cf.proto"|"$config_directory/main.cf") echo "$top/conf/main.cf" ;;
    "$meta_directory/master.cf.proto"|"$config_directory/master.cf") echo "$top/conf/master.cf" ;;
    */postfix-files) echo "$top/conf/postfix-files" ;;
    */makedefs.out) echo "$makedefs_out" ;;
    "$manpage_directory"/*) echo "$top/man/$(basename "$(dirname "$1")")/$base" ;;
    "$sendmail_path") echo "$build/bin/sendmail" ;;
    *) echo "$build/bin/$base" ;;
    esac
}

skipped=""
grep -v '^#' "$top/conf/postfix-files" | grep -v '^$' | while IFS=: read -r path type owner group mode flags; do
    path=$(expand "$path")
    owner=$(expand "$owner")
    group=$(expand "$group")
    dest=$destdir$path
    case "$type" in
    d)
        mkdir -p "$dest"
        chmod "$mode" "$dest"
        set_owner "$dest" "$owner" "$group"
        ;;
    f)
        src=$(source_of "$path")
        if [ ! -f "$src" ]; then
            case "$path" in
            "$manpage_directory"/*) ;;
            *) say "not built yet, skipped: $path" ;;
            esac
            continue
        fi
        case "$flags" in
        *p*) [ -f "$dest" ] && continue ;;
        esac
        mkdir -p "$(dirname "$dest")"
        rm -f "$dest.tmp.$$"
        cp "$src" "$dest.tmp.$$"
        chmod "$mode" "$dest.tmp.$$"
        set_owner "$dest.tmp.$$" "$owner" "$group"
        mv -f "$dest.tmp.$$" "$dest"
        ;;
    h|l)
        target=$(expand "$owner")
        [ -e "$destdir$target" ] || { say "link target missing, skipped: $path"; continue; }
        mkdir -p "$(dirname "$dest")"
        rm -f "$dest"
        if [ "$type" = h ]; then ln "$destdir$target" "$dest"; else ln -s "$target" "$dest"; fi
        ;;
    esac
done

# Record installation parameters that differ from the compiled-in defaults.
main_cf=$destdir$config_directory/main.cf
for p in $changed; do
    eval "v=\$$p"
    if [ -f "$main_cf" ]; then
        grep -v "^$p[ 	]*=" "$main_cf" > "$main_cf.tmp.$$" || true
        echo "$p = $v" >> "$main_cf.tmp.$$"
        mv -f "$main_cf.tmp.$$" "$main_cf"
    fi
done
say "installed into ${destdir:-/}"
