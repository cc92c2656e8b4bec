#!/usr/bin/env bash
# Builds or installs every external component Sellout runs against, at pinned
# versions, into one cache directory, and skips whatever is already there.
#
#   scripts/tools.sh            build/install everything that is missing
#   scripts/tools.sh --list     print the pinned versions and what is cached
#   scripts/tools.sh NAME...    only these steps (kube, etcd, nats, ferretdb,
#                               helm, promtool, promparse, mailpit,
#                               localstripe, chromium, graphiql)
#
# Environment:
#   SELLOUT_CACHE   cache directory (default: ${XDG_CACHE_HOME:-~/.cache}/sellout)
#
# Everything lands in $SELLOUT_CACHE: binaries in bin/, the Go module and
# build caches in go/, the localstripe and promparse virtualenvs in venv/, and one stamp per
# step in stamps/; GraphiQL's browser files in share/graphiql/. A step is skipped when its stamp matches the pinned version
# and the inputs it was built from; delete the stamp (or the whole cache) to
# force a rebuild.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${SELLOUT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sellout}"

# ---- pinned versions -------------------------------------------------------
# Kubernetes: must be a version k8s-openapi's feature in Cargo.toml supports
# (k8s-openapi 0.29: v1_33..v1_37). e2e/tools/go.mod pins the same version
# (checked below).
KUBE_VERSION=v1.36.3
# etcd: the version k8s.io/kubernetes requires, as e2e/tools/go.mod resolves
# it; ETCD_VERSION is read from there below, so the label cannot drift from
# what is built.
NATS_VERSION=v2.15.2
FERRETDB_VERSION=v1.24.2
HELM_VERSION=v3.22.0
# promtool (checks the chart's alerting rules): Prometheus's Go module
# version, v0.3MM.P for release 3.MM.P (v0.316.0 is Prometheus 3.16.0).
PROMETHEUS_VERSION=v0.316.0
# The Prometheus project's Python client, whose OpenMetrics parser reads
# every binary's /metrics in the tests (e2e/tools/parse-metrics.py).
PROMETHEUS_CLIENT_VERSION=0.26.0
MAILPIT_VERSION=v1.27.11
LOCALSTRIPE_VERSION=1.15.10
# GraphiQL as the gateway serves it itself (no CDN): its self-contained UMD
# bundle and React's UMD builds, from npm.
GRAPHIQL_VERSION=3.8.3
REACT_VERSION=18.3.1
# Chromium comes from Debian's archive, whose security updates replace old
# builds; we take Debian's current build and record it in the stamp.

BIN="$CACHE/bin"
STAMPS="$CACHE/stamps"
export GOMODCACHE="$CACHE/go/mod"
export GOCACHE="$CACHE/go/build"
export GOFLAGS="-buildvcs=false -trimpath"
export CGO_ENABLED=0

BUILT=0

log() { printf '[tools] %s\n' "$*" >&2; }
die() {
	printf '[tools] ERROR in step "%s": %s\n' "${STEP:-setup}" "$*" >&2
	exit 1
}

# The version of Go module $1 that e2e/tools/go.mod requires. Fails when it
# is not required there, or is replaced (its version is then elsewhere).
gomod_version() {
	awk -v m="$1" '
		/^\)/ { block = ""; next }
		/^(require|replace) \($/ { block = $1; next }
		{ kind = block }
		$1 == "require" || $1 == "replace" { kind = $1; $1 = ""; $0 = $0 }
		kind == "replace" && $1 == m { replaced = 1 }
		kind == "require" && $1 == m { version = $2 }
		END { if (replaced || version == "") exit 1; print version }
	' "$ROOT/e2e/tools/go.mod"
}

ETCD_VERSION="$(gomod_version go.etcd.io/etcd/server/v3)" ||
	die "e2e/tools/go.mod does not require go.etcd.io/etcd/server/v3 at a version (or replaces it), so which etcd is built cannot be told"
kube_in_gomod="$(gomod_version k8s.io/kubernetes)" ||
	die "e2e/tools/go.mod does not require k8s.io/kubernetes at a version (or replaces it)"
[[ "$kube_in_gomod" == "$KUBE_VERSION" ]] ||
	die "KUBE_VERSION is $KUBE_VERSION in scripts/tools.sh but e2e/tools/go.mod requires k8s.io/kubernetes $kube_in_gomod: keep them in step"

# ---- prerequisites ----------------------------------------------------------
need_cmd() {
	command -v "$1" >/dev/null 2>&1 || die "'$1' is not installed. $2"
}

check_go() {
	need_cmd go "Install Go 1.26 or newer (https://go.dev/doc/install) and put it on PATH."
	local v
	v="$(go env GOVERSION)"
	# go1.26.3, go1.27rc1, "go1.26.0 X:nodwarf5", "devel go1.27-abc123 ..."
	[[ "$v" =~ go([0-9]+)\.([0-9]+)(rc|beta)? ]] ||
		die "cannot tell the Go version from '$v'; the pinned Kubernetes $KUBE_VERSION needs Go 1.26 or newer."
	local major="${BASH_REMATCH[1]}" minor="${BASH_REMATCH[2]}" pre="${BASH_REMATCH[3]}"
	# e2e/tools/go.mod says `go 1.26.0`, which 1.26's pre-releases precede.
	if ((major < 1 || (major == 1 && (minor < 26 || (minor == 26 && ${#pre} > 0))))); then
		die "Go ${v#go} is too old: the pinned Kubernetes $KUBE_VERSION needs Go 1.26.0 or newer."
	fi
}

check_disk() {
	mkdir -p "$CACHE"
	local free_kb
	free_kb="$(df -Pk "$CACHE" | awk 'NR==2 {print $4}')"
	if ((free_kb < 3 * 1024 * 1024)); then
		die "only $((free_kb / 1024)) MiB free under $CACHE; the tool builds need about 3 GiB. Free some space or point SELLOUT_CACHE elsewhere."
	fi
}

# Stamp = one line naming the pinned version and the hash of the inputs.
stamp_of() { printf '%s\n' "$*"; }
is_current() { # name stamp binary...
	local name="$1" want="$2"
	shift 2
	[[ -f "$STAMPS/$name" ]] && [[ "$(cat "$STAMPS/$name")" == "$want" ]] || return 1
	local b
	for b in "$@"; do [[ -x "$b" ]] || return 1; done
}
write_stamp() { mkdir -p "$STAMPS" && printf '%s\n' "$2" >"$STAMPS/$1"; }

size_of() { du -shL "$@" 2>/dev/null | awk '{print $1}' | paste -sd+ -; }

run_step() { # name stamp prerequisite-check binaries... -- command...
	STEP="$1"
	local stamp="$2" precheck="$3"
	shift 3
	local bins=()
	while [[ "$1" != "--" ]]; do
		bins+=("$1")
		shift
	done
	shift
	if is_current "$STEP" "$stamp" "${bins[@]}"; then
		log "$STEP: cached ($stamp)"
		return 0
	fi
	check_disk
	"$precheck"
	log "$STEP: building $stamp ..."
	local t0=$SECONDS
	local out="$CACHE/logs/$STEP.log"
	mkdir -p "$CACHE/logs"
	if ! "$@" >"$out" 2>&1; then
		tail -n 30 "$out" >&2
		if grep -qiE 'dial tcp|no such host|connection refused|i/o timeout|TLS handshake' "$out"; then
			die "a download failed: the registry is not reachable from here (Go proxy: $(go env GOPROXY 2>/dev/null)). Check the network and run again; full log: $out"
		fi
		die "build failed; last lines above, full log: $out"
	fi
	write_stamp "$STEP" "$stamp"
	BUILT=$((BUILT + 1))
	log "$STEP: done in $((SECONDS - t0))s, $(size_of "${bins[@]}")"
}

go_install() { # module@version -> $BIN
	GOBIN="$BIN" go install "$@"
}

go_build_in_tools() { # go build args, run in the e2e/tools wrapper module
	(cd "$ROOT/e2e/tools" && go build "$@")
}

# ---- steps ------------------------------------------------------------------
step_kube() {
	local h
	h="$(cat "$ROOT/e2e/tools/go.mod" "$ROOT/e2e/tools/go.sum" | sha256sum | cut -c1-12)"
	local minor="${KUBE_VERSION#v1.}"
	minor="${minor%%.*}"
	local date
	date="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	local pkg=k8s.io/component-base/version
	local ld="-s -w -X $pkg.gitVersion=$KUBE_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean -X $pkg.buildDate=$date"
	ld="$ld -X k8s.io/client-go/pkg/version.gitVersion=$KUBE_VERSION -X k8s.io/client-go/pkg/version.gitMajor=1 -X k8s.io/client-go/pkg/version.gitMinor=$minor"
	h="$h-$(sha256sum <"$ROOT/e2e/tools/kubectl-explain-full-name.patch" | cut -c1-12)"
	run_step kube "kubernetes $KUBE_VERSION $h" check_go "$BIN/kube-apiserver" "$BIN/kubectl" -- \
		build_kube "$ld"
}

# kube-apiserver as released; kubectl with e2e/tools/kubectl-explain-full-name.patch
# applied to a copy of its module (the patch says why), through a copy of the
# wrapper's go.mod that points k8s.io/kubectl at that copy.
build_kube() {
	local ld="$1" work rc
	go_build_in_tools -ldflags "$ld" -o "$BIN/" k8s.io/kubernetes/cmd/kube-apiserver || return 1
	work="$(mktemp -d)" || return 1
	build_patched_kubectl "$ld" "$work"
	rc=$?
	rm -rf "$work"
	return "$rc"
}

build_patched_kubectl() {
	local ld="$1" work="$2" dir
	(cd "$ROOT/e2e/tools" && go mod download k8s.io/kubectl) || return 1
	dir="$(cd "$ROOT/e2e/tools" && go list -m -f '{{with .Replace}}{{.Dir}}{{else}}{{.Dir}}{{end}}' k8s.io/kubectl)" || return 1
	[[ -d "$dir" ]] || { echo "k8s.io/kubectl module not found (got '$dir')" >&2; return 1; }
	cp -r "$dir" "$work/kubectl" && chmod -R u+w "$work/kubectl" || return 1
	(cd "$work/kubectl" && git apply "$ROOT/e2e/tools/kubectl-explain-full-name.patch") || return 1
	cp "$ROOT/e2e/tools/go.mod" "$ROOT/e2e/tools/go.sum" "$work/" || return 1
	go mod edit -replace "k8s.io/kubectl=$work/kubectl" "$work/go.mod" || return 1
	go_build_in_tools -modfile="$work/go.mod" -ldflags "$ld" -o "$BIN/kubectl" k8s.io/kubernetes/cmd/kubectl || return 1
}

step_etcd() {
	local h
	h="$(cat "$ROOT/e2e/tools/go.mod" "$ROOT/e2e/tools/go.sum" | sha256sum | cut -c1-12)"
	run_step etcd "etcd $ETCD_VERSION $h" check_go "$BIN/etcd" -- \
		go_build_in_tools -ldflags "-s -w" -o "$BIN/etcd" go.etcd.io/etcd/server/v3
}

step_nats() {
	run_step nats "nats-server $NATS_VERSION" check_go "$BIN/nats-server" -- \
		go_install -ldflags "-s -w" "github.com/nats-io/nats-server/v2@$NATS_VERSION"
}

build_ferretdb() {
	# Runs inside `if !` (run_step), where `set -e` does not apply: every
	# step checks its own result, so a failed patch never yields a binary.
	# FerretDB embeds build/version/version.txt, which its module zip leaves
	# empty (its own build writes it from git), and panics at start without
	# it. Build from a copy of the module source with that file filled in.
	local src
	src="$(go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')" || return 1
	[[ -n "$src" ]] || { echo "go mod download returned no directory"; return 1; }
	local work="$CACHE/src/ferretdb"
	rm -rf "$work" && mkdir -p "$(dirname "$work")" || return 1
	cp -r "$src" "$work" && chmod -R u+w "$work" || return 1
	echo "$FERRETDB_VERSION" >"$work/build/version/version.txt" || return 1
	# Make findAndModify/update/delete atomic per document, as in MongoDB
	# (the patch explains why).
	(cd "$work" && git apply "$ROOT/e2e/tools/ferretdb-atomic-writes.patch") || return 1
	(cd "$work" && go build -ldflags "-s -w" -o "$BIN/ferretdb" ./cmd/ferretdb) || return 1
	rm -rf "$work"
}

step_ferretdb() {
	# FerretDB v1 with its embedded SQLite backend (pure Go, no cgo).
	local h
	h="$(sha256sum <"$ROOT/e2e/tools/ferretdb-atomic-writes.patch" | cut -c1-12)"
	run_step ferretdb "ferretdb $FERRETDB_VERSION $h" check_go "$BIN/ferretdb" -- build_ferretdb
}

step_helm() {
	run_step helm "helm $HELM_VERSION" check_go "$BIN/helm" -- \
		go_install -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION" "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
}

# Prometheus's go.mod has no replace or exclude directives, so a plain
# `go install module@version` builds it (it asks for Go 1.26.7; an older
# Go fetches that toolchain from the module proxy by itself). The version
# flag is what Prometheus's own build (.promu.yml) sets. remove_all_sd
# leaves out the cloud service discoveries (AWS, Azure, GCE, …; Kubernetes
# and file SD stay), which we never check configs for (here: built in
# 100 s into 54 MB, against 350 s and 84 MB with them).
step_promtool() {
	local minor="${PROMETHEUS_VERSION#v0.}"
	local release="3.$((${minor%%.*} - 300)).${minor#*.}"
	run_step promtool "promtool $release ($PROMETHEUS_VERSION) remove_all_sd" check_go "$BIN/promtool" -- \
		go_install -tags remove_all_sd -ldflags "-s -w -X github.com/prometheus/common/version.Version=$release" "github.com/prometheus/prometheus/cmd/promtool@$PROMETHEUS_VERSION"
}

step_mailpit() {
	run_step mailpit "mailpit $MAILPIT_VERSION" check_go "$BIN/mailpit" -- \
		go_install -ldflags "-s -w -X github.com/axllent/mailpit/config.Version=$MAILPIT_VERSION" "github.com/axllent/mailpit@$MAILPIT_VERSION"
}

install_localstripe() {
	# Runs inside `if !` (no `set -e` there): check each step.
	local venv="$CACHE/venv/localstripe"
	rm -rf "$venv" || return 1
	python3 -m venv "$venv" || return 1
	"$venv/bin/pip" install --disable-pip-version-check --no-input -q "localstripe==$LOCALSTRIPE_VERSION" || return 1
	# e2e/tools/localstripe-pay-again.patch: a PaymentIntent whose card was
	# declined takes another card and is confirmed again, as at Stripe.
	local site
	site="$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')" || return 1
	(cd "$site" && git apply -p1 "$ROOT/e2e/tools/localstripe-pay-again.patch") || return 1
	ln -sf "$venv/bin/localstripe" "$BIN/localstripe"
}

install_promparse() {
	local venv="$CACHE/venv/promparse"
	rm -rf "$venv" || return 1
	python3 -m venv "$venv" || return 1
	"$venv/bin/pip" install --disable-pip-version-check --no-input -q "prometheus-client==$PROMETHEUS_CLIENT_VERSION" || return 1
	# A wrapper, not a symlink: a venv's python finds its packages through
	# the path it was started by.
	printf '#!/bin/sh\nexec "%s/bin/python" "$@"\n' "$venv" >"$BIN/metrics-python" || return 1
	chmod +x "$BIN/metrics-python"
}

step_promparse() {
	need_cmd python3 "Install Python 3.9 or newer with the venv module (Debian: apt-get install python3 python3-venv)."
	run_step promparse "prometheus-client $PROMETHEUS_CLIENT_VERSION $(python3 -c 'import sys; print("py%d.%d" % sys.version_info[:2])')" \
		true "$BIN/metrics-python" -- install_promparse
}

step_localstripe() {
	need_cmd python3 "Install Python 3.9 or newer with the venv module (Debian: apt-get install python3 python3-venv)."
	python3 -c 'import venv, ensurepip' 2>/dev/null ||
		die "python3 lacks the venv/ensurepip modules. Debian: apt-get install python3-venv"
	run_step localstripe "localstripe $LOCALSTRIPE_VERSION $(python3 -c 'import sys; print("py%d.%d" % sys.version_info[:2])') $(sha256sum <"$ROOT/e2e/tools/localstripe-pay-again.patch" | cut -c1-12)" \
		true "$BIN/localstripe" -- install_localstripe
}

install_chromium() {
	if [[ $(id -u) -ne 0 ]]; then
		echo "Chromium is missing and this is not root. Run: sudo apt-get install -y chromium chromium-driver" >&2
		return 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q || return 1
	apt-get install -y -q --no-install-recommends chromium chromium-driver
}

step_chromium() {
	STEP=chromium
	if [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]]; then
		log "chromium: present ($(dpkg-query -W -f='${Version}' chromium 2>/dev/null || echo '?'))"
	else
		need_cmd apt-get "Install Chromium and ChromeDriver with your system's package manager."
		log "chromium: installing Debian's chromium + chromium-driver ..."
		local t0=$SECONDS
		mkdir -p "$CACHE/logs"
		install_chromium >"$CACHE/logs/chromium.log" 2>&1 || {
			tail -n 20 "$CACHE/logs/chromium.log" >&2
			die "apt-get could not install chromium; full log: $CACHE/logs/chromium.log"
		}
		log "chromium: done in $((SECONDS - t0))s"
	fi
	ln -sf /usr/bin/chromium "$BIN/chromium"
	ln -sf /usr/bin/chromedriver "$BIN/chromedriver"
	write_stamp chromium "chromium $(dpkg-query -W -f='${Version}' chromium 2>/dev/null || echo unknown)"
}

# GraphiQL's files for `sellout-gateway --graphiql-assets`: the packages as
# published on npm (integrity checked by npm), four files taken out of them.
install_graphiql() {
	local out="$CACHE/share/graphiql" tmp
	tmp="$(mktemp -d "$CACHE/tmp.graphiql.XXXXXX")" || return 1
	(
		cd "$tmp" &&
			npm pack --silent --cache "$CACHE/npm" "graphiql@$GRAPHIQL_VERSION" "react@$REACT_VERSION" "react-dom@$REACT_VERSION" &&
			mkdir g r d &&
			tar xzf "graphiql-$GRAPHIQL_VERSION.tgz" -C g &&
			tar xzf "react-$REACT_VERSION.tgz" -C r &&
			tar xzf "react-dom-$REACT_VERSION.tgz" -C d &&
			mkdir files &&
			cp g/package/graphiql.min.js g/package/graphiql.min.css g/package/LICENSE files/ &&
			cp r/package/umd/react.production.min.js d/package/umd/react-dom.production.min.js files/
	) || {
		rm -rf "$tmp"
		return 1
	}
	rm -rf "$out" && mkdir -p "$(dirname "$out")" && mv "$tmp/files" "$out"
	rm -rf "$tmp"
}

step_graphiql() {
	need_cmd npm "Install Node.js 20+ with npm (Debian: apt-get install nodejs npm)."
	run_step graphiql "graphiql $GRAPHIQL_VERSION react $REACT_VERSION" true "$CACHE/share/graphiql" -- install_graphiql
}

ALL_STEPS=(kube etcd nats ferretdb helm promtool promparse mailpit localstripe chromium graphiql)

list() {
	echo "cache: $CACHE"
	for s in "${ALL_STEPS[@]}"; do
		printf '  %-12s %s\n' "$s" "$(cat "$STAMPS/$s" 2>/dev/null || echo '(not built)')"
	done
	[[ -d "$BIN" ]] && echo "disk: $(du -sh "$CACHE" | cut -f1) total, bin/ $(du -sh "$BIN" | cut -f1)"
}

# /dev/null must be the null device. Seen on a machine of ours: a
# regular file in its place, which keeps what is written to it, so a
# program reading it (cargo's `rustc -` target probe, with stdin from
# /dev/null) gets earlier programs' output back as its input. As root,
# put the device back; otherwise say what to run.
check_dev_null() {
	[[ -c /dev/null ]] && return 0
	if [[ $(id -u) -eq 0 ]]; then
		rm -f /dev/null && mknod -m 666 /dev/null c 1 3 ||
			die "/dev/null is not the null device and could not be made again"
		log "/dev/null was a regular file: made it the null device again"
	else
		die "/dev/null is not the null device (a regular file?): run as root: rm -f /dev/null && mknod -m 666 /dev/null c 1 3"
	fi
}

main() {
	check_dev_null
	if [[ "${1:-}" == "--list" ]]; then
		list
		return
	fi
	if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
		sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
		return
	fi
	local steps=("$@")
	((${#steps[@]})) || steps=("${ALL_STEPS[@]}")
	mkdir -p "$BIN" "$STAMPS"
	local t0=$SECONDS s
	for s in "${steps[@]}"; do
		declare -F "step_$s" >/dev/null || die "unknown step '$s' (known: ${ALL_STEPS[*]})"
		"step_$s"
	done
	if [[ $BUILT -gt 0 && -z "${SELLOUT_KEEP_GO_BUILD_CACHE:-}" && -d "$GOCACHE" ]]; then
		# The binaries are all we need; Go's build cache is 3+ GiB. Keep it
		# with SELLOUT_KEEP_GO_BUILD_CACHE=1 when changing tool versions often.
		go clean -cache 2>/dev/null || rm -rf "$GOCACHE"
		log "removed Go's build cache (set SELLOUT_KEEP_GO_BUILD_CACHE=1 to keep it)"
	fi
	log "all tools ready in $((SECONDS - t0))s under $CACHE ($(du -sh "$CACHE" | cut -f1))"
}

main "$@"
