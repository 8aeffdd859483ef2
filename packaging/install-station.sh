#!/usr/bin/env bash
# Installs a built kiosk (dist/kiosk from `make package`) on a Debian station.
# Run as root. Idempotent. See docs/admin.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dist=${1:-"$here/../dist/kiosk"}
[ -x "$dist/kiosk" ] || { echo "no built kiosk at $dist: run 'make package' first" >&2; exit 1; }
apt-get install -y --no-install-recommends cage libzbar0 >/dev/null
id kiosk >/dev/null 2>&1 || useradd --system --create-home --home-dir /var/lib/kiosk --shell /usr/sbin/nologin kiosk
usermod -aG dialout,video,input,render kiosk
install -d -o kiosk -g kiosk -m 0750 /var/lib/kiosk /var/lib/kiosk/backups /var/log/kiosk
install -d -m 0755 /etc/kiosk /opt/kiosk
cp -a "$dist/." /opt/kiosk/
install -m 0644 "$here"/systemd/*.service "$here"/systemd/*.timer /etc/systemd/system/
install -m 0644 "$here"/udev/70-kiosk-devices.rules /etc/udev/rules.d/
install -d /etc/systemd/journald.conf.d && install -m 0644 "$here"/journald/kiosk.conf /etc/systemd/journald.conf.d/
install -m 0644 "$here"/logrotate/kiosk /etc/logrotate.d/kiosk
udevadm control --reload || true
systemctl daemon-reload
echo "installed. Next: /opt/kiosk/kiosk setup --station ID --admin ID --admin-name NAME"
echo "then: systemctl enable --now kiosk.service kiosk-backup.timer kiosk-sync.timer"
