# bash completion for async                                  -*- shell-script -*-
#
# Installed as share/bash-completion/completions/async; can also be sourced directly.
# Works with the bash-completion package (using _init_completion when it is loaded) and
# without it (plain COMP_WORDS, compgen and COMPREPLY).
#
# Dynamic candidates (document and meeting ids, handles, templates, weeks, inbox items, action
# handles, config keys) come from the hidden `async __complete KIND [PREFIX]`: one
# "value<TAB>description" line each, read from the index as it is (never refreshed), and
# nothing is ever created, not even a workspace. Bash shows no descriptions: only the values.

_async_date_words="today tomorrow yesterday eod eow now
mon tue wed thu fri sat sun monday tuesday wednesday thursday friday saturday sunday
+1d +2d +3d +1w +2w"

_async_types="doc decision sop onboarding post watercooler meeting response reply summary checkin item note event"

# Options that take a value, per command (the value is skipped when walking the line).
_async_value_options() { # command option
    case $1:$2 in
    doc:-t | doc:--template | doc:-r | doc:--reviewers | doc:-d | doc:--due | doc:--tag | \
        doc:-m | doc:--message | doc:--file | doc:-a | doc:--attach) return 0 ;;
    list:--type | list:--author | list:--status | list:--tag | list:--since | list:--until | \
        list:--sort | list:-n | list:--limit) return 0 ;;
    search:--type | search:--author | search:-n | search:--limit) return 0 ;;
    actions:--owner | actions:--for | actions:--due | actions:--in | decisions:--since | agenda:--days | calendar:-o | calendar:--output) return 0 ;;
    agenda:--team | calendar:--team | away:--note) return 0 ;;
    publish:-o | publish:--output | publish:--title | publish:--base-url) return 0 ;;
    inbox:-d | inbox:--due | inbox:--for | inbox:-u | inbox:--until | inbox:-t | inbox:--to) return 0 ;;
    meeting:-w | meeting:--with | meeting:-d | meeting:--due | meeting:-a | meeting:--attach | \
        meeting:-m | meeting:--message | meeting:--file) return 0 ;;
    onboard:--path | onboard:--start | \
        event:--at | event:--for | event:-w | event:--with | event:--where | event:-m | event:--message | \
        event:--file) return 0 ;;
    checkin:-w | checkin:--week | checkin:-d | checkin:--day | checkin:-m | checkin:--message | checkin:--file | \
        checkin:--format | checkin:-o | checkin:--output) return 0 ;;
    esac
    return 1
}

# Runs async with the -C DIR of the command line being completed (in $_async_dir).
_async_run() {
    if [[ -n $_async_dir ]]; then
        command async -q -C "$_async_dir" "$@" 2>/dev/null
    else
        command async -q "$@" 2>/dev/null
    fi
}

# The values `async __complete KIND [PREFIX]` prints (the part before the tab).
_async_candidates() { # kind [--global] [prefix]
    local value rest
    while IFS=$'\t' read -r value rest; do
        [[ -n $value ]] && printf '%s\n' "$value"
    done < <(_async_run __complete "$@")
}

# Completes a comma-separated list of handles: the part after the last comma.
_async_compgen_handle_list() { # current-word
    local head="" last=$1
    if [[ $1 == *,* ]]; then
        head=${1%,*},
        last=${1##*,}
    fi
    _async_compgen_words $(_async_candidates handles) "$last"
    local k
    for k in "${!COMPREPLY[@]}"; do COMPREPLY[k]=$head${COMPREPLY[k]}; done
}

_async_compgen_words() { # words... (the last argument is the word being completed)
    local cur=${!#}
    local IFS=$'\n'
    COMPREPLY=($(compgen -W "$(printf '%s\n' "${@:1:$#-1}")" -- "$cur"))
}

_async() {
    local cur prev words cword
    if declare -F _init_completion >/dev/null 2>&1; then
        _init_completion || return
    else
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
        cur=${COMP_WORDS[COMP_CWORD]}
        prev=
        ((cword > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
    fi
    COMPREPLY=()

    # "--color=al" arrives as "--color" "=" "al" (COMP_WORDBREAKS has '=').
    local opt=$prev
    if [[ $cur == = ]]; then
        opt=$prev
        cur=
    elif [[ $prev == = ]] && ((cword >= 2)); then
        opt=${words[cword - 2]}
    fi

    # Walk what is typed before the cursor: global options, then the command path.
    local _async_dir="" cmd="" sub="" global="" i w
    local -a args=()
    for ((i = 1; i < cword; i++)); do
        w=${words[i]}
        if [[ -z $cmd ]]; then
            case $w in
            -C) ((i + 1 < cword)) && _async_dir=${words[i + 1]}; ((i++)); continue ;;
            --color) [[ ${words[i + 1]-} == = ]] && ((i++)); ((i++)); continue ;;
            -*) continue ;;
            *) cmd=$w; continue ;;
            esac
        fi
        if _async_value_options "$cmd" "$w"; then
            [[ ${words[i + 1]-} == = ]] && ((i++))
            ((i++))
            continue
        fi
        case $w in
        --global) global=--global; continue ;;
        --color) [[ ${words[i + 1]-} == = ]] && ((i++)); ((i++)); continue ;;
        -C) ((i++)); continue ;;
        = | -*) continue ;;
        esac
        case $cmd in
        doc | meeting | event | onboard | inbox | config | templates | actions | hook | checkin)
            if [[ -z $sub ]]; then
                sub=$w
                continue
            fi
            ;;
        esac
        args+=("$w")
    done
    [[ $_async_dir == "~"/* ]] && _async_dir=$HOME/${_async_dir#"~"/}

    # Values of options.
    if [[ $cur == --color=* ]]; then
        _async_compgen_words auto always never "${cur#--color=}"
        local k
        for k in "${!COMPREPLY[@]}"; do COMPREPLY[k]=--color=${COMPREPLY[k]}; done
        return
    fi
    case $cmd:$opt in
    list:--type | search:--type)
        _async_compgen_words $_async_types "$cur"
        return
        ;;
    list:--sort)
        _async_compgen_words created due title type "$cur"
        return
        ;;
    list:--status)
        _async_compgen_words draft open closed "$cur"
        return
        ;;
    list:--author | search:--author | actions:--owner)
        _async_compgen_words $(_async_candidates handles) "$cur"
        return
        ;;
    list:--since | list:--until | decisions:--since)
        _async_compgen_words $_async_date_words -1d -3d -1w -2w "$cur"
        return
        ;;
    list:--tag | list:-n | list:--limit | search:-n | search:--limit | checkin:-m | checkin:--message | publish:--title | publish:--base-url)
        return
        ;;
    checkin:-w | checkin:--week)
        _async_compgen_words this last next $(_async_candidates weeks -- "$cur") "$cur"
        return
        ;;
    checkin:-d | checkin:--day)
        _async_compgen_words today last next yesterday mon tue wed thu fri "$cur"
        return
        ;;
    checkin:--format)
        _async_compgen_words markdown html "$cur"
        return
        ;;
    checkin:--file | checkin:-o | checkin:--output | doc:-a | doc:--attach)
        compopt -o filenames 2>/dev/null
        local IFS=$'\n'
        COMPREPLY=($(compgen -f -- "$cur"))
        [[ -z $cur || $cur == - ]] && COMPREPLY+=(-)
        return
        ;;
    publish:-o | publish:--output)
        compopt -o filenames 2>/dev/null
        local IFS=$'\n'
        COMPREPLY=($(compgen -d -- "$cur"))
        return
        ;;
    esac
    case $opt in
    -C)
        compopt -o filenames 2>/dev/null
        local IFS=$'\n'
        COMPREPLY=($(compgen -d -- "$cur"))
        return
        ;;
    --color)
        _async_compgen_words auto always never "$cur"
        return
        ;;
    esac
    if [[ $cmd == doc && ($sub == reply || $sub == close) ]]; then
        case $opt in
        --file)
            compopt -o filenames 2>/dev/null
            local IFS=$'\n'
            COMPREPLY=($(compgen -f -- "$cur"))
            [[ -z $cur || $cur == - ]] && COMPREPLY+=(-)
            return
            ;;
        -m | --message)
            return
            ;;
        esac
    fi
    if [[ $cmd == doc && $sub == new ]]; then
        case $opt in
        -t | --template)
            _async_compgen_words $(_async_candidates templates) "$cur"
            return
            ;;
        -d | --due)
            _async_compgen_words $_async_date_words "$cur"
            return
            ;;
        -r | --reviewers)
            _async_compgen_handle_list "$cur"
            return
            ;;
        --file)
            compopt -o filenames 2>/dev/null
            local IFS=$'\n'
            COMPREPLY=($(compgen -f -- "$cur"))
            [[ -z $cur || $cur == - ]] && COMPREPLY+=(-)
            return
            ;;
        -m | --message | --tag)
            return
            ;;
        esac
    fi

    if [[ $cmd == actions && $sub == add ]]; then
        case $opt in
        --due)
            _async_compgen_words $_async_date_words "$cur"
            return
            ;;
        --for)
            _async_compgen_words $(_async_candidates handles) "$cur"
            return
            ;;
        --in)
            _async_compgen_words $(_async_candidates ids -- "$cur") "$cur"
            return
            ;;
        esac
    fi

    if [[ $cmd == inbox ]]; then
        case $opt in
        -d | --due | -u | --until)
            _async_compgen_words $_async_date_words "$cur"
            return
            ;;
        --for | -t | --to)
            _async_compgen_words $(_async_candidates handles) "$cur"
            return
            ;;
        esac
    fi
    if [[ $cmd == onboard ]]; then
        case $opt in
        --path)
            _async_compgen_words $(_async_candidates ids -- "$cur") "$cur"
            return
            ;;
        --start)
            _async_compgen_words $_async_date_words "$cur"
            return
            ;;
        esac
    fi
    if [[ $cmd == event ]]; then
        case $opt in
        -w | --with)
            _async_compgen_handle_list "$cur"
            return
            ;;
        --at)
            _async_compgen_words $_async_date_words "$cur"
            return
            ;;
        --for)
            _async_compgen_words 15m 30m 45m 1h 1h30m 2h "$cur"
            return
            ;;
        --file)
            compopt -o filenames 2>/dev/null
            local IFS=$'\n'
            COMPREPLY=($(compgen -f -- "$cur"))
            [[ -z $cur || $cur == - ]] && COMPREPLY+=(-)
            return
            ;;
        -m | --message | --where)
            return
            ;;
        esac
    fi
    if [[ $cmd == meeting ]]; then
        case $opt in
        -w | --with)
            _async_compgen_handle_list "$cur"
            return
            ;;
        -d | --due)
            _async_compgen_words $_async_date_words "$cur"
            return
            ;;
        -a | --attach | --file)
            compopt -o filenames 2>/dev/null
            local IFS=$'\n'
            COMPREPLY=($(compgen -f -- "$cur"))
            [[ $opt == --file && (-z $cur || $cur == -) ]] && COMPREPLY+=(-)
            return
            ;;
        -m | --message)
            return
            ;;
        esac
    fi

    case $cmd in
    "")
        if [[ $cur == -* ]]; then
            _async_compgen_words -C --json --color= -q --quiet -h --help --version "$cur"
            [[ ${COMPREPLY[*]} == --color= ]] && compopt -o nospace 2>/dev/null
        else
            _async_compgen_words init doc meeting event onboard attach inbox config templates index list show links edit search pick tag \
                import actions decisions check hook sync checkin publish agenda calendar away remind watercooler whoami help "$cur"
        fi
        ;;
    init)
        if [[ $cur == -* ]]; then
            _async_compgen_words --git --sample -h --help "$cur"
        elif ((${#args[@]} == 0)); then
            compopt -o filenames 2>/dev/null
            local IFS=$'\n'
            COMPREPLY=($(compgen -d -- "$cur"))
        fi
        ;;
    doc)
        case $sub in
        "")
            if [[ $cur == -* ]]; then
                _async_compgen_words -h --help "$cur"
            else
                _async_compgen_words new reply close status "$cur"
            fi
            ;;
        reply | close | status)
            if [[ $cur == -* ]]; then
                if [[ $sub == reply ]]; then
                    _async_compgen_words -a --attach -m --message --file -e --edit --no-edit -h --help "$cur"
                elif [[ $sub == status ]]; then
                    _async_compgen_words --wide -h --help "$cur"
                else
                    _async_compgen_words -m --message -h --help "$cur"
                fi
            elif ((${#args[@]} == 0)); then
                _async_compgen_words $(_async_candidates ids -- "$cur") "$cur"
            fi
            ;;
        new)
            if [[ $cur == -* ]]; then
                _async_compgen_words -t --template -r --reviewers -d --due --tag -a --attach \
                    -m --message --file -e --edit --no-edit -h --help "$cur"
            fi
            ;;
        esac
        ;;
    inbox)
        case $sub in
        "")
            if [[ $cur == -* ]]; then
                _async_compgen_words -a --all --explain --count --wide -h --help "$cur"
            else
                _async_compgen_words add done snooze delegate undo triage "$cur"
            fi
            ;;
        add)
            if [[ $cur == -* ]]; then
                _async_compgen_words -d --due --for -h --help "$cur"
            fi
            ;;
        done | snooze | delegate | undo)
            if [[ $cur == -* ]]; then
                case $sub in
                snooze) _async_compgen_words -u --until -n --dry-run -h --help "$cur" ;;
                delegate) _async_compgen_words -t --to -n --dry-run -h --help "$cur" ;;
                *) _async_compgen_words -n --dry-run -h --help "$cur" ;;
                esac
            else
                local handles=() h a
                for h in $(_async_candidates items -- "$cur"); do
                    for a in "${args[@]}"; do [[ $a == "$h" ]] && continue 2; done
                    handles+=("$h")
                done
                _async_compgen_words "${handles[@]}" "$cur"
            fi
            ;;
        triage)
            [[ $cur == -* ]] && _async_compgen_words -h --help "$cur"
            ;;
        esac
        ;;
    meeting)
        case $sub in
        "")
            if [[ $cur == -* ]]; then
                _async_compgen_words -h --help "$cur"
            else
                _async_compgen_words open respond status close "$cur"
            fi
            ;;
        open)
            if [[ $cur == -* ]]; then
                _async_compgen_words -w --with -d --due -a --attach \
                    -m --message --file -e --edit --no-edit -h --help "$cur"
            fi
            ;;
        respond | status | close)
            if [[ $cur == -* ]]; then
                if [[ $sub == status ]]; then
                    _async_compgen_words --wide -h --help "$cur"
                elif [[ $sub == respond ]]; then
                    _async_compgen_words -a --attach -m --message --file -e --edit --no-edit -h --help "$cur"
                else
                    _async_compgen_words -m --message --file -e --edit --no-edit -h --help "$cur"
                fi
            elif ((${#args[@]} == 0)); then
                _async_compgen_words $(_async_candidates meetings -- "$cur") "$cur"
            fi
            ;;
        esac
        ;;
    onboard)
        if [[ $cur == -* ]]; then
            if [[ $sub == status ]]; then
                _async_compgen_words --wide -h --help "$cur"
            else
                _async_compgen_words --path --start -h --help "$cur"
            fi
        elif [[ -z $sub || ($sub == status && ${#args[@]} == 0) ]]; then
            [[ -z $sub ]] && _async_compgen_words status "$cur"
            COMPREPLY+=($(compgen -W "$(_async_candidates handles)" -- "$cur"))
        fi
        ;;
    event)
        case $sub in
        "")
            if [[ $cur == -* ]]; then
                _async_compgen_words -h --help "$cur"
            else
                _async_compgen_words new move "$cur"
            fi
            ;;
        new)
            if [[ $cur == -* ]]; then
                _async_compgen_words --at --for -w --with --where \
                    -m --message --file -e --edit --no-edit -h --help "$cur"
            fi
            ;;
        move)
            if [[ $cur == -* ]]; then
                _async_compgen_words --at --for -h --help "$cur"
            elif ((${#args[@]} == 0)); then
                _async_compgen_words $(_async_candidates ids -- "$cur") "$cur"
            fi
            ;;
        esac
        ;;
    config)
        case $sub in
        "")
            if [[ $cur == -* ]]; then
                _async_compgen_words -h --help "$cur"
            else
                _async_compgen_words get set unset list "$cur"
            fi
            ;;
        get | unset)
            if [[ $cur == -* ]]; then
                _async_compgen_words --global -h --help "$cur"
            elif ((${#args[@]} == 0)); then
                _async_compgen_words $(_async_candidates keys $global) "$cur"
            fi
            ;;
        set)
            if [[ $cur == -* ]]; then
                _async_compgen_words --global -h --help "$cur"
            elif ((${#args[@]} == 0)); then
                _async_compgen_words $(_async_candidates settable-keys $global) "$cur"
            elif ((${#args[@]} == 1)) && [[ ${args[0]} == people.*.tz ]]; then
                _async_compgen_words $(_async_candidates zones) "$cur"
            fi
            ;;
        list)
            if [[ $cur == -* ]]; then
                _async_compgen_words --global --show-origin -h --help "$cur"
            fi
            ;;
        esac
        ;;
    index)
        if [[ $cur == -* ]]; then
            _async_compgen_words --full --check --watch -h --help "$cur"
        fi
        ;;
    list)
        if [[ $cur == -* ]]; then
            _async_compgen_words --type --author --status --tag --since --until --sort \
                --reverse --all -n --limit --wide -h --help "$cur"
        fi
        ;;
    attach)
        if [[ $cur == -* ]]; then
            _async_compgen_words -h --help "$cur"
        elif ((${#args[@]} == 0)); then
            _async_compgen_words $(_async_candidates ids -- "$cur") "$cur"
        else
            compopt -o filenames 2>/dev/null
            local IFS=$'\n'
            COMPREPLY=($(compgen -f -- "$cur"))
        fi
        ;;
    show | edit | links)
        if [[ $cur == -* ]]; then
            if [[ $cmd == edit ]]; then
                _async_compgen_words -m --message --file -e --edit --no-edit -h --help "$cur"
            elif [[ $cmd == links ]]; then
                _async_compgen_words --wide -h --help "$cur"
            else
                _async_compgen_words -h --help "$cur"
            fi
        elif ((${#args[@]} == 0)); then
            _async_compgen_words $(_async_candidates ids -- "$cur") "$cur"
        fi
        ;;
    search)
        if [[ $cur == -* ]]; then
            _async_compgen_words --type --author -n --limit -h --help "$cur"
        fi
        ;;
    tag)
        if ((${#args[@]} == 0)); then
            local IFS=$'\n'
            _async_compgen_words $(_async_candidates ids -- "$cur") "$cur"
        fi
        ;;
    pick)
        if [[ $cur == -* ]]; then
            _async_compgen_words -m --multi -a --all --no-preview -h --help "$cur"
        fi
        ;;
    import)
        if [[ $cur == -* ]]; then
            _async_compgen_words -n --dry-run --wide -h --help "$cur"
        else
            compopt -o filenames 2>/dev/null
            local IFS=$'\n'
            COMPREPLY=($(compgen -f -- "$cur"))
        fi
        ;;
    actions)
        case $sub in
        "")
            if [[ $cur == -* ]]; then
                _async_compgen_words --owner --mine --open --done --all --overdue --wide -h --help "$cur"
            else
                _async_compgen_words done undo add due "$cur"
            fi
            ;;
        add)
            if [[ $cur == -* ]]; then
                _async_compgen_words --for --due --in -h --help "$cur"
            fi
            ;;
        undo)
            if [[ $cur == -* ]]; then
                _async_compgen_words --dry-run -h --help "$cur"
            fi
            ;;
        due)
            if [[ $cur == -* ]]; then
                _async_compgen_words --dry-run -h --help "$cur"
            elif ((${#args[@]} == 0)); then
                _async_compgen_words $(_async_candidates actions -- "$cur") "$cur"
            else
                _async_compgen_words none $_async_date_words "$cur"
            fi
            ;;
        done)
            if [[ $cur == -* ]]; then
                _async_compgen_words --dry-run -h --help "$cur"
            else
                local handle
                local -a open=()
                for handle in $(_async_candidates actions -- "$cur"); do
                    [[ " ${args[*]} " == *" $handle "* ]] || open+=("$handle")
                done
                _async_compgen_words "${open[@]}" "$cur"
            fi
            ;;
        esac
        ;;
    decisions)
        if [[ $cur == -* ]]; then
            _async_compgen_words --since --wide -h --help "$cur"
        fi
        ;;
    checkin)
        case $sub in
        "")
            if [[ $cur == -* ]]; then
                _async_compgen_words -w --week -d --day -m --message --file -e --edit --no-edit -h --help "$cur"
            else
                _async_compgen_words status digest "$cur"
            fi
            ;;
        status)
            if [[ $cur == -* ]]; then
                _async_compgen_words -w --week -d --day --wide -h --help "$cur"
            fi
            ;;
        digest)
            if [[ $cur == -* ]]; then
                _async_compgen_words -w --week -d --day --format -o --output -h --help "$cur"
            fi
            ;;
        esac
        ;;
    publish)
        if [[ $cur == -* ]]; then
            _async_compgen_words -o --output --title --base-url -h --help "$cur"
        fi
        ;;
    agenda)
        if [[ $prev == --team ]]; then
            _async_compgen_words $(_async_candidates teams) "$cur"
        elif [[ $cur == -* ]]; then
            _async_compgen_words --days --team --wide -h --help "$cur"
        fi
        ;;
    away)
        if [[ $cur == -* ]]; then
            _async_compgen_words --note --clear --all --wide -h --help "$cur"
        fi
        ;;
    calendar)
        if [[ $prev == --team ]]; then
            _async_compgen_words $(_async_candidates teams) "$cur"
        elif [[ $prev == -o || $prev == --output ]]; then
            compopt -o filenames 2>/dev/null
            local IFS=$'\n'
            COMPREPLY=($(compgen -f -- "$cur"))
        elif [[ $cur == -* ]]; then
            _async_compgen_words -o --output --mine --team -h --help "$cur"
        fi
        ;;
    remind)
        if [[ $cur == -* ]]; then
            _async_compgen_words --mail --dry-run --wide -h --help "$cur"
        fi
        ;;
    whoami | watercooler)
        if [[ $cur == -* ]]; then
            _async_compgen_words -h --help "$cur"
        fi
        ;;
    help)
        _async_compgen_words init doc meeting event onboard inbox config templates index list show links edit search pick tag \
            import attach actions decisions check hook sync checkin publish agenda calendar away remind watercooler whoami "$cur"
        ;;
    check)
        if [[ $cur == -* ]]; then
            _async_compgen_words --staged -h --help "$cur"
        else
            compopt -o filenames 2>/dev/null
            local IFS=$'\n'
            COMPREPLY=($(compgen -f -- "$cur"))
        fi
        ;;
    hook)
        if [[ $cur == -* ]]; then
            _async_compgen_words -h --help "$cur"
        elif [[ -z $sub ]]; then
            _async_compgen_words install uninstall "$cur"
        fi
        ;;
    sync)
        if [[ $cur == -* ]]; then
            _async_compgen_words -h --help "$cur"
        fi
        ;;
    templates)
        case $sub in
        "")
            if [[ $cur == -* ]]; then
                _async_compgen_words -h --help "$cur"
            else
                _async_compgen_words show "$cur"
            fi
            ;;
        show)
            if [[ $cur == -* ]]; then
                _async_compgen_words -h --help "$cur"
            elif ((${#args[@]} == 0)); then
                _async_compgen_words $(_async_candidates templates) "$cur"
            fi
            ;;
        esac
        ;;
    esac
}

complete -F _async async
