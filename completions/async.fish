# fish completion for async. Installed in share/fish/vendor_completions.d; can also be
# sourced. Dynamic candidates come from the binary: template names from the first column of
# `async templates`, config keys from `async config list` (the part before '='), handles from
# the people.HANDLE.* keys. Nothing here ever creates a workspace.

# The command path typed so far ("", "doc", "doc new", "config get"...), skipping options and
# their values.
function __async_command_path
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l path
    set -l skip 0
    for t in $tokens
        if test $skip -eq 1
            set skip 0
            continue
        end
        switch $t
            case -C --color
                set skip 1
            case -t --template -r --reviewers -d --due --tag -m --message --file
                test (count $path) -ge 2; and set skip 1
            case '-*'
            case '*'
                if test (count $path) -lt 2; and test "$path[1]" != init
                    set -a path $t
                end
        end
    end
    echo "$path"
end

function __async_at
    test (__async_command_path) = "$argv"
end

# The -C DIR typed on the command line, if any.
function __async_dir
    set -l tokens (commandline -opc)
    set -l i (contains -i -- -C $tokens)
    and test (count $tokens) -gt $i
    and string replace -r '^~/' "$HOME/" -- $tokens[(math $i + 1)]
end

function __async_run
    set -l dir (__async_dir)
    if test -n "$dir"
        command async -q -C $dir $argv 2>/dev/null
    else
        command async -q $argv 2>/dev/null
    end
end

# True when `async config list` would find a workspace rather than create the default one.
function __async_has_workspace
    set -l dir (__async_dir)
    set -l explicit 0
    if test -n "$dir"
        set explicit 1
    else
        set dir $PWD
    end
    string match -q '/*' -- $dir; or set dir $PWD/$dir
    while true
        test -d $dir/.async; and return 0
        test "$dir" = /; and break
        set dir (path dirname $dir)
    end
    test $explicit -eq 1; and return 1
    set -q ASYNC_DIR[1]; and test -n "$ASYNC_DIR"; and return 0
    set -l data $HOME/.local/share
    set -q XDG_DATA_HOME[1]; and test -n "$XDG_DATA_HOME"; and set data $XDG_DATA_HOME
    test -d $data/async/.async; and return 0
    __async_run config get --global workspace >/dev/null
end

function __async_templates
    __async_run templates | string replace -r '^(\S+)\s+(\S+)\s*(.*)$' '$1\t$3 ($2)'
end

function __async_config_keys
    set -l global
    if contains -- --global (commandline -opc); or not __async_has_workspace
        set global --global
    end
    __async_run config list $global | string match -r '^[^=]+(?==)'
end

function __async_config_set_keys
    begin
        __async_config_keys
        printf '%s\n' team.name checkin.day core.editor user.handle workspace mail.sendmail
    end | sort -u
end

function __async_handles
    set -l handles (__async_config_keys | string match -r '^people\.[^.]+' | string replace 'people.' '' | sort -u)
    set -l cur "$(commandline -ct)"
    set -l head "$(string match -r '^.*,' -- "$cur")"
    set -l given (string split , -- "$head")
    for h in $handles
        contains -- $h $given; or echo "$head$h"
    end
end

function __async_positionals
    # Number of words after the command path (for KEY/NAME positions).
    set -l tokens (commandline -opc)
    set -l n 0
    set -l seen 0
    set -l want (count (string split ' ' -- (__async_command_path)))
    set -e tokens[1]
    set -l skip 0
    for t in $tokens
        if test $skip -eq 1
            set skip 0
            continue
        end
        switch $t
            case -C --color
                set skip 1
            case '-*'
            case '*'
                if test $seen -lt $want
                    set seen (math $seen + 1)
                else
                    set n (math $n + 1)
                end
        end
    end
    echo $n
end

complete -c async -f

# Global options.
complete -c async -n '__async_at ""' -s C -r -a '(__fish_complete_directories)' -d 'Run as if async was started in DIR'
complete -c async -n '__async_at ""' -l json -d 'Print the answer as JSON'
complete -c async -n '__async_at ""' -l color -x -a 'auto always never' -d 'Colour'
complete -c async -n '__async_at ""' -s q -l quiet -d 'Print nothing but the answer and errors'
complete -c async -s h -l help -d 'Print help'
complete -c async -n '__async_at ""' -l version -d 'Print the version'

# Commands.
complete -c async -n '__async_at ""' -a init -d 'Create a workspace'
complete -c async -n '__async_at ""' -a doc -d 'Write-ups: new documents'
complete -c async -n '__async_at ""' -a config -d 'Read and write settings'
complete -c async -n '__async_at ""' -a templates -d 'List templates and print one'

# async init [DIR] [--git]
complete -c async -n '__async_at init' -l git -d 'Also make it a git repository'
complete -c async -n '__async_at init; and test (__async_positionals) -eq 0' -a '(__fish_complete_directories)'

# async doc new
complete -c async -n '__async_at doc' -a new -d 'Write a document from a template in the editor'
complete -c async -n '__async_at doc new' -s t -l template -x -a '(__async_templates)' -d 'Template'
complete -c async -n '__async_at doc new' -s r -l reviewers -x -a '(__async_handles)' -d 'People whose feedback is wanted (a,b)'
complete -c async -n '__async_at doc new' -s d -l due -x -d 'Feedback deadline' -a 'today tomorrow yesterday eod eow now mon tue wed thu fri sat sun monday tuesday wednesday thursday friday saturday sunday +1d +2d +3d +1w +2w'
complete -c async -n '__async_at doc new' -l tag -x -d 'A tag (repeatable)'
complete -c async -n '__async_at doc new' -s m -l message -x -d 'Body text (skips the editor)'
complete -c async -n '__async_at doc new' -l file -r -F -d 'Body or whole document from PATH, or - for stdin'
complete -c async -n '__async_at doc new' -s e -l edit -d 'Open the editor even with -m or --file'
complete -c async -n '__async_at doc new' -l no-edit -d 'Write without the editor'

# async config get|set|unset|list
complete -c async -n '__async_at config' -a get -d 'Print the value of KEY'
complete -c async -n '__async_at config' -a set -d 'Set KEY to VALUE'
complete -c async -n '__async_at config' -a unset -d 'Remove KEY'
complete -c async -n '__async_at config' -a list -d 'Print every effective setting'
complete -c async -n '__async_at config get; or __async_at config set; or __async_at config unset; or __async_at config list' -l global -d 'The user config'
complete -c async -n '__async_at config list' -l show-origin -d 'Prefix each line with where it comes from'
complete -c async -n '__async_at config get; or __async_at config unset; and test (__async_positionals) -eq 0' -a '(__async_config_keys)'
complete -c async -n '__async_at config set; and test (__async_positionals) -eq 0' -a '(__async_config_set_keys)'

# async templates [show NAME]
complete -c async -n '__async_at templates' -a show -d 'Print the template NAME in effect'
complete -c async -n '__async_at templates show; and test (__async_positionals) -eq 0' -a '(__async_templates)'
