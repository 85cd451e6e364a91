#!/usr/bin/env bash
# Dependencies run one way (DESIGN.md §5): lib <- model <- source, view, sink <- main.
# Prints every #include "..." under SRC (default src) that runs the wrong way, as
# FILE:LINE: LAYER includes HEADER; exits 1 if there is any, 0 if none.
#   lib     includes lib
#   model   includes lib, model
#   source  includes lib, model, source, and the BPF ABI (cputop.h, cputop.skel.h)
#   view    includes lib, model, view
#   sink    includes lib, model, view (the cells the views share), sink
#   src/*.c (main, the loop, the command line) includes anything
set -u
src=${1:-src}
declare -A allowed=(
	[lib]="lib"
	[model]="lib model"
	[source]="lib model source"
	[view]="lib model view"
	[sink]="lib model view sink"
)
bad=0
while IFS= read -r file; do
	rel=${file#"$src"/}
	layer=${rel%%/*}
	[ "$layer" = "$rel" ] && continue	# top level: the wiring
	if [ -z "${allowed[$layer]+x}" ]; then
		echo "$file: '$layer' is no layer (lib, model, source, view, sink)"
		bad=1
		continue
	fi
	while IFS=: read -r line hdr; do
		to=${hdr%%/*}
		[ "$to" = "$hdr" ] && [ "$layer" = source ] &&
			[[ $hdr == cputop.h || $hdr == cputop.skel.h ]] && continue
		case " ${allowed[$layer]} " in
		*" $to "*) [ "$to" != "$hdr" ] && continue ;;
		esac
		echo "$file:$line: $layer includes \"$hdr\""
		bad=1
	done < <(grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$file" |
		 sed 's/^\([0-9]*\):[^"]*"\([^"]*\)".*/\1:\2/')
done < <(find "$src" -name '*.[ch]' | sort)
exit $bad
