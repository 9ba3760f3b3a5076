# Shared by tools/install-deps.sh and tools/install-deps-site.sh (sourced):
# collect missing Debian packages in `debs`, then install them in one go.
debs=()
# need_r <R package> <Debian package>: queue the Debian package when R
# cannot load the R package
need_r() { Rscript -e "quit(status = !requireNamespace('$1', quietly = TRUE))" >/dev/null 2>&1 || debs+=("$2"); }
# apt_install_queued <script name>: install what is queued (as root), or fail
# naming what is missing
apt_install_queued() {
  if [ "${#debs[@]}" -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${debs[@]}"
    else
      echo "$1: missing ${debs[*]}; run as root (apt-get) to install them" >&2
      exit 1
    fi
  fi
}
