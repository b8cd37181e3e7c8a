# fish completion for async. Installed in share/fish/vendor_completions.d; can also be
# sourced. Dynamic candidates (document and meeting ids, handles, templates, weeks, inbox
# items, action handles, config keys) come from the hidden `async __complete KIND [PREFIX]`:
# one "value<TAB>description" line each (fish's own format), read from the index as it is
# (never refreshed); nothing is ever created, not even a workspace.

# Options of the commands that take a value (skipped with it when walking the line).
set -g __async_value_options -C --color -t --template -r --reviewers -d --due --tag -m --message --file \
    --type --author --status --since --until --sort -n --limit --owner -w --with -a --attach --for -u --to -t --week --day --format -o --output --title --base-url --at --where --path --start

# The command path typed so far ("", "doc", "doc new", "config get", "actions done"...),
# skipping options and their values; other words are positionals.
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
        if contains -- $t $__async_value_options
            set skip 1
            continue
        end
        switch $t
            case '-*'
            case '*'
                if test (count $path) -eq 0
                    set path $t
                else if test (count $path) -eq 1; and contains -- $path[1] doc meeting event onboard inbox config templates actions hook checkin
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

# `async __complete KIND [ARGS]`: "value<TAB>description" lines.
function __async_complete
    __async_run __complete $argv
end

function __async_config_keys
    set -l kind keys
    test "$argv[1]" = set; and set kind settable-keys
    if contains -- --global (commandline -opc)
        __async_complete $kind --global
    else
        __async_complete $kind
    end
end

# Handles, after the ones already in a comma-separated list (a,b,).
function __async_handles
    set -l cur "$(commandline -ct)"
    set -l head "$(string match -r '^.*,' -- "$cur")"
    set -l given (string split , -- "$head")
    for line in (__async_complete handles)
        set -l h (string split -m1 \t -- $line)
        contains -- $h[1] $given; or printf '%s%s\n' "$head" "$line"
    end
end

# Document ids (meetings with "meetings"), the titles as descriptions.
function __async_doc_ids
    set -l kind ids
    test "$argv[1]" = meetings; and set kind meetings
    __async_complete $kind -- (commandline -ct)
end

# Handles of open actions and of my inbox items, those already on the line left out.
function __async_handles_not_given
    set -l tokens (commandline -opc)
    for line in (__async_complete $argv[1] -- (commandline -ct))
        set -l h (string split -m1 \t -- $line)
        contains -- $h[1] $tokens; or printf '%s\n' $line
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
        if contains -- $t $__async_value_options
            set skip 1
            continue
        end
        switch $t
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
complete -c async -n '__async_at ""' -a doc -d 'Write-ups: new documents, replies, closing'
complete -c async -n '__async_at ""' -a config -d 'Read and write settings'
complete -c async -n '__async_at ""' -a templates -d 'List templates and print one'
complete -c async -n '__async_at ""' -a index -d 'Refresh the index, or check it matches the files'
complete -c async -n '__async_at ""' -a meeting -d 'Async meetings: agenda, responses, summary'
complete -c async -n '__async_at ""' -a event -d 'Live events: a time, a length, who comes'
complete -c async -n '__async_at ""' -a onboard -d 'Put a new person on an onboarding path; their progress'
complete -c async -n '__async_at ""' -a attach -d 'Copy files into my document and link them'
# async attach REF FILE…
complete -c async -n '__async_at attach; and test (__async_positionals) -eq 0' -x -a '(__async_doc_ids)'
complete -c async -n '__async_at attach; and test (__async_positionals) -ge 1' -r -F
complete -c async -n '__async_at ""' -a inbox -d 'Everything that needs me; triage it'
complete -c async -n '__async_at ""' -a list -d 'List documents with filters'
complete -c async -n '__async_at ""' -a show -d 'Print a document with its replies and responses'
complete -c async -n '__async_at ""' -a links -d 'What a document links to and what links to it'
complete -c async -n '__async_at ""' -a edit -d 'Edit a document in the editor'
complete -c async -n '__async_at ""' -a search -d 'Full-text search'
complete -c async -n '__async_at ""' -a pick -d 'Choose documents in fzf and print their ids'
complete -c async -n '__async_at ""' -a tag -d 'Add and remove the tags of my document'
complete -c async -n '__async_at ""' -a import -d 'Adopt Markdown files and ADR folders as documents'
complete -c async -n '__async_at import' -s n -l dry-run -d 'Print the plan; write nothing'
complete -c async -n '__async_at import' -l wide -d 'Do not cut the table to the terminal'
complete -c async -n '__async_at import' -F
complete -c async -n '__async_at pick' -s m -l multi -d 'Choose several'
complete -c async -n '__async_at pick' -s a -l all -d 'Offer replies, responses and summaries too'
complete -c async -n '__async_at pick' -l no-preview -d 'Do not show the highlighted document'
complete -c async -n '__async_at ""' -a actions -d 'Action items across the workspace; tick them off'
complete -c async -n '__async_at ""' -a decisions -d 'Decisions across the workspace'
complete -c async -n '__async_at ""' -a check -d 'Validate files'
complete -c async -n '__async_at ""' -a hook -d 'Install or remove the git hooks'
complete -c async -n '__async_at ""' -a sync -d 'Commit my changes, pull --rebase, push, reindex'
complete -c async -n '__async_at ""' -a checkin -d 'My weekly check-in; who has checked in; the digest'
complete -c async -n '__async_at ""' -a publish -d 'Write the internal blog: a static HTML site with an Atom feed'
complete -c async -n '__async_at ""' -a agenda -d 'Upcoming deadlines grouped by day'
complete -c async -n '__async_at ""' -a calendar -d 'Deadlines and the check-in day as iCalendar'
complete -c async -n '__async_at ""' -a remind -d 'Who owes what; mail each person a reminder'
complete -c async -n '__async_at ""' -a away -d 'Say when I am away, clear it, or list who is'
complete -c async -n '__async_at ""' -a watercooler -d 'On the watercooler day, create the week\'s non-work thread'
complete -c async -n '__async_at ""' -a whoami -d 'My handle, name and email and where each came from'
complete -c async -n '__async_at ""' -a help -d 'Show the manual of a command'
complete -c async -n '__async_at help' -x -a 'init doc meeting event onboard attach inbox checkin config templates index list show links edit search pick tag import actions decisions check agenda calendar away remind watercooler whoami hook sync publish'

# async init [DIR] [--git] [--sample]
complete -c async -n '__async_at init' -l git -d 'Also make it a git repository, hooks installed'
complete -c async -n '__async_at init' -l sample -d 'Fill it with a small example team'
complete -c async -n '__async_at init; and test (__async_positionals) -eq 0' -a '(__fish_complete_directories)'

# async doc new
complete -c async -n '__async_at doc' -a new -d 'Write a document from a template in the editor'
complete -c async -n '__async_at doc new' -s t -l template -x -a '(__async_complete templates)' -d 'Template'
complete -c async -n '__async_at doc new' -s r -l reviewers -x -a '(__async_handles)' -d 'People whose feedback is wanted (a,b)'
complete -c async -n '__async_at doc new' -s d -l due -x -d 'Feedback deadline' -a 'today tomorrow yesterday eod eow now mon tue wed thu fri sat sun monday tuesday wednesday thursday friday saturday sunday +1d +2d +3d +1w +2w'
complete -c async -n '__async_at doc new' -l tag -x -d 'A tag (repeatable)'
complete -c async -n '__async_at doc new' -s a -l attach -r -F -d 'A file to copy into attachments/ and link'
complete -c async -n '__async_at doc new' -s m -l message -x -d 'Body text (skips the editor)'
complete -c async -n '__async_at doc new' -l file -r -F -d 'Body or whole document from PATH, or - for stdin'
complete -c async -n '__async_at doc new' -s e -l edit -d 'Open the editor even with -m or --file'
complete -c async -n '__async_at doc new' -l no-edit -d 'Write without the editor'

# async doc reply REF, async doc close REF, async doc status REF
complete -c async -n '__async_at doc' -a reply -d 'Write my reply (feedback) to a document in the editor'
complete -c async -n '__async_at doc' -a close -d 'Mark a document closed, optionally recording the outcome'
complete -c async -n '__async_at doc' -a status -d 'Who answered, who is pending or overdue'
complete -c async -n '__async_at doc reply; and test (__async_positionals) -eq 0' -a '(__async_doc_ids)'
complete -c async -n '__async_at doc close; and test (__async_positionals) -eq 0' -a '(__async_doc_ids)'
complete -c async -n '__async_at doc status; and test (__async_positionals) -eq 0' -a '(__async_doc_ids)'
complete -c async -n '__async_at doc reply' -s a -l attach -r -F -d 'A file to copy beside the reply and link'
complete -c async -n '__async_at doc reply' -s m -l message -x -d 'Body text (skips the editor)'
complete -c async -n '__async_at doc reply' -l file -r -F -d 'Body or whole reply from PATH, or - for stdin'
complete -c async -n '__async_at doc reply' -s e -l edit -d 'Open the editor even with -m or --file'
complete -c async -n '__async_at doc reply' -l no-edit -d 'Write without the editor'
complete -c async -n '__async_at doc close' -s m -l message -x -d 'The outcome, recorded as a decision'

# async inbox [add|done|snooze|delegate|undo|triage]
complete -c async -n '__async_at inbox' -s a -l all -d 'Also items marked done, snoozed or delegated'
complete -c async -n '__async_at inbox' -l explain -d 'Say why each item ranks where it does'
complete -c async -n '__async_at inbox' -l count -d 'Print only how many items there are'
complete -c async -n '__async_at inbox' -a add -d 'Capture an item for me (or --for someone)'
complete -c async -n '__async_at inbox' -a done -d 'Mark items done'
complete -c async -n '__async_at inbox' -a snooze -d 'Hide items until a date'
complete -c async -n '__async_at inbox' -a delegate -d 'Hand items over to a teammate'
complete -c async -n '__async_at inbox' -a undo -d 'Reverse the last decision on items'
complete -c async -n '__async_at inbox' -a triage -d 'One item at a time in the terminal'
complete -c async -n '__async_at inbox add' -s d -l due -x -d 'Due date' -a 'today tomorrow eod eow mon tue wed thu fri sat sun +1d +2d +3d +1w +2w'
complete -c async -n '__async_at inbox add' -l for -x -a '(__async_handles)' -d "Put it in this teammate's inbox"
complete -c async -n '__async_at inbox snooze' -s u -l until -x -d 'Until this date' -a 'tomorrow mon tue wed thu fri sat sun +1d +2d +3d +1w +2w'
complete -c async -n '__async_at inbox delegate' -s t -l to -x -a '(__async_handles)' -d 'The teammate who takes it over'
for sub in done snooze delegate undo
    complete -c async -n "__async_at inbox $sub" -a '(__async_handles_not_given items)'
    complete -c async -n "__async_at inbox $sub" -s n -l dry-run -d 'Say what would be done; write nothing'
end

# async onboard HANDLE --path REF [--start DATE] | onboard status HANDLE
complete -c async -n '__async_at onboard; and test (__async_positionals) -eq 0' -a status -d 'Where a new person is on their paths'
complete -c async -n '__async_at onboard; and test (__async_positionals) -eq 0' -a '(__async_handles)'
complete -c async -n '__async_at onboard status; and test (__async_positionals) -eq 0' -a '(__async_handles)'
complete -c async -n '__async_at onboard' -l path -x -a '(__async_doc_ids)' -d 'The onboarding document'
complete -c async -n '__async_at onboard' -l start -x -d 'Day 1 of the path' -a 'today tomorrow mon tue wed thu fri sat sun monday tuesday wednesday thursday friday saturday sunday +1d +2d +3d +1w +2w'

# async event new|move
complete -c async -n '__async_at event' -a new -d 'Write an event: its agenda now, its notes afterwards'
complete -c async -n '__async_at event' -a move -d 'Give an event of mine a new time'
complete -c async -n '__async_at event new' -s w -l with -x -a '(__async_handles)' -d 'Who attends besides me (a,b)'
complete -c async -n '__async_at event new' -l where -x -d 'Where it happens'
complete -c async -n '__async_at event new' -s m -l message -x -d 'Body text (skips the editor)'
complete -c async -n '__async_at event new' -l file -r -F -d 'Body or whole document from PATH, or - for stdin'
complete -c async -n '__async_at event new' -s e -l edit -d 'Open the editor even with -m or --file'
complete -c async -n '__async_at event new' -l no-edit -d 'Write without the editor'
for sub in new move
    complete -c async -n "__async_at event $sub" -l at -x -d 'When it starts' -a 'today tomorrow mon tue wed thu fri sat sun monday tuesday wednesday thursday friday saturday sunday +1d +2d +3d +1w +2w'
    complete -c async -n "__async_at event $sub" -l for -x -d 'How long it lasts' -a '15m 30m 45m 1h 1h30m 2h'
end
complete -c async -n '__async_at event move; and test (__async_positionals) -eq 0' -a '(__async_doc_ids)'

# async meeting open|respond|status|close
complete -c async -n '__async_at meeting' -a open -d 'Write an agenda; participants must respond by the deadline'
complete -c async -n '__async_at meeting' -a respond -d 'Write (or edit) my response, one section per agenda item'
complete -c async -n '__async_at meeting' -a status -d 'Who responded, who is pending or overdue'
complete -c async -n '__async_at meeting' -a close -d 'Compile the responses into summary.md and close'
complete -c async -n '__async_at meeting open' -s w -l with -x -a '(__async_handles)' -d 'Participants who must respond (a,b)'
complete -c async -n '__async_at meeting open' -s d -l due -x -d 'Response deadline' -a 'today tomorrow yesterday eod eow now mon tue wed thu fri sat sun monday tuesday wednesday thursday friday saturday sunday +1d +2d +3d +1w +2w'
complete -c async -n '__async_at meeting open' -s a -l attach -r -F -d 'A file to copy into attachments/ and link'
complete -c async -n '__async_at meeting respond' -s a -l attach -r -F -d 'A file (a voice note) to copy beside the response and link'
for sub in respond status close
    complete -c async -n "__async_at meeting $sub; and test (__async_positionals) -eq 0" -a '(__async_doc_ids meetings)'
end
for sub in open respond close
    complete -c async -n "__async_at meeting $sub" -s m -l message -x -d 'Body text (skips the editor)'
    complete -c async -n "__async_at meeting $sub" -l file -r -F -d 'Body or whole document from PATH, or - for stdin'
    complete -c async -n "__async_at meeting $sub" -s e -l edit -d 'Open the editor even with -m or --file'
    complete -c async -n "__async_at meeting $sub" -l no-edit -d 'Write without the editor'
end

# async config get|set|unset|list
complete -c async -n '__async_at config' -a get -d 'Print the value of KEY'
complete -c async -n '__async_at config' -a set -d 'Set KEY to VALUE'
complete -c async -n '__async_at config' -a unset -d 'Remove KEY'
complete -c async -n '__async_at config' -a list -d 'Print every effective setting'
complete -c async -n '__async_at config get; or __async_at config set; or __async_at config unset; or __async_at config list' -l global -d 'The user config'
complete -c async -n '__async_at config list' -l show-origin -d 'Prefix each line with where it comes from'
complete -c async -n '__async_at config get; or __async_at config unset; and test (__async_positionals) -eq 0' -a '(__async_config_keys)'
complete -c async -n '__async_at config set; and test (__async_positionals) -eq 0' -a '(__async_config_keys set)'
# The value of people.HANDLE.tz: a time zone name.
complete -c async -n '__async_at config set; and test (__async_positionals) -eq 1; and string match -q -- "people.*.tz" (commandline -opc)[-1]' -a '(__async_complete zones)'

# async templates [show NAME]
complete -c async -n '__async_at templates' -a show -d 'Print the template NAME in effect'
complete -c async -n '__async_at templates show; and test (__async_positionals) -eq 0' -a '(__async_complete templates)'

# async index [--full] [--check] [--watch]
complete -c async -n '__async_at index' -l full -d 'Re-read every file'
complete -c async -n '__async_at index' -l watch -d 'Register the workspace with a running watchman'
complete -c async -n '__async_at index' -l check -d 'Exit 1 and list the differences between the index and the files'

# async list [filters]
set -l __async_types doc decision sop onboarding post watercooler meeting response reply summary checkin item note event
set -l __async_filter_dates today yesterday tomorrow eod eow now mon tue wed thu fri sat sun -1d -3d -1w -2w
complete -c async -n '__async_at list; or __async_at search' -l type -x -a "$__async_types" -d 'Only this type'
complete -c async -n '__async_at list; or __async_at search' -l author -x -a '(__async_handles)' -d 'Only documents by this handle'
complete -c async -n '__async_at list' -l status -x -a 'draft open closed' -d 'Only this status'
complete -c async -n '__async_at list' -l tag -x -d 'Only documents with this tag (repeatable)'
complete -c async -n '__async_at list' -l since -x -a "$__async_filter_dates" -d 'Created on or after DATE'
complete -c async -n '__async_at list' -l until -x -a "$__async_filter_dates" -d 'Created on or before DATE'
complete -c async -n '__async_at list' -l sort -x -a 'created\t"newest first" due\t"soonest deadline first" title\t"A to Z" type\t"A to Z"' -d 'Sort key'
complete -c async -n '__async_at list' -l reverse -d 'Reverse the order'
complete -c async -n '__async_at list' -l all -d 'Include replies, responses and summaries'
complete -c async -n '__async_at list; or __async_at search' -s n -l limit -x -d 'At most N'

complete -c async -n '__async_at edit' -s m -l message -x -d 'Replace the body (no editor)'
complete -c async -n '__async_at edit' -l file -r -d 'Replace the body or whole document from PATH or -'
complete -c async -n '__async_at edit' -s e -l edit -d 'Open the editor even with -m or --file'
complete -c async -n '__async_at edit' -l no-edit -d 'Never open the editor'
# async show REF, async edit REF, async links REF
complete -c async -n '__async_at show; or __async_at edit; or __async_at links; and test (__async_positionals) -eq 0' -a '(__async_doc_ids)'

# async actions [--owner H] [--mine] [--open|--done|--all] [--overdue] | done|undo ACTION... | add TEXT | due ACTION DATE
complete -c async -n '__async_at actions' -a done -d 'Tick off actions by their handles'
complete -c async -n '__async_at actions' -l owner -x -a '(__async_handles)' -d 'Only actions owned by HANDLE'
complete -c async -n '__async_at actions' -l mine -d 'Only my actions'
complete -c async -n '__async_at actions' -l open -d 'Only open actions (the default)'
complete -c async -n '__async_at actions' -l done -d 'Only done actions'
complete -c async -n '__async_at actions' -l all -d 'Open and done actions'
complete -c async -n '__async_at actions' -l overdue -d 'Only open actions whose due date has passed'
complete -c async -n '__async_at actions done' -l dry-run -d 'Show what would be ticked, change nothing'
complete -c async -n '__async_at actions done' -a '(__async_handles_not_given actions)'
complete -c async -n '__async_at actions' -a undo -d 'Reopen done actions'
complete -c async -n '__async_at actions' -a add -d 'Add an action to my list or a document of mine'
complete -c async -n '__async_at actions' -a due -d 'Set, change or clear an action\'s due date'
complete -c async -n '__async_at actions undo' -l dry-run -d 'Show what would be unticked, change nothing'
complete -c async -n '__async_at actions add' -l for -x -a '(__async_handles)' -d 'Whose action it is (default: me)'
complete -c async -n '__async_at actions add' -l due -x -a 'today tomorrow friday eow' -d 'When it is due'
complete -c async -n '__async_at actions add' -l in -x -a '(__async_doc_ids)' -d 'The document whose task list gets it'
complete -c async -n '__async_at actions due' -l dry-run -d 'Show what would change, change nothing'
complete -c async -n '__async_at actions due; and test (__async_positionals) -eq 0' -x -a '(__async_handles_not_given actions)'
complete -c async -n '__async_at actions due; and test (__async_positionals) -eq 1' -x -a 'none today tomorrow friday eow'

# async decisions [--since D]
complete -c async -n '__async_at decisions' -l since -x -a "$__async_filter_dates" -d 'From documents created on or after DATE'

# async check [PATH...] [--staged]
complete -c async -n '__async_at check' -l staged -d 'Check the versions staged in git'
complete -c async -n '__async_at check' -F

# async hook install|uninstall, async sync
complete -c async -n '__async_at hook' -a install -d 'Install the hooks (never over another tool\'s)'
complete -c async -n '__async_at hook' -a uninstall -d 'Remove the hooks async installed'
# async checkin [--week W|--day D] [-m|--file|--edit|--no-edit] | status [--week W|--day D] | digest [--week W|--day D] [--format F] [-o FILE]
complete -c async -n '__async_at checkin' -a status -d 'Who has and has not checked in; exit 1 when I have not'
complete -c async -n '__async_at checkin' -a digest -d "The team's check-ins as one document"
complete -c async -n '__async_at checkin; or __async_at checkin status; or __async_at checkin digest' -s w -l week -x -a 'this last next (__async_complete weeks)' -d 'ISO week (2026-W48), this, last, next or a date in it'
complete -c async -n '__async_at checkin; or __async_at checkin status; or __async_at checkin digest' -s d -l day -x -a 'today last next yesterday mon tue wed thu fri' -d 'With a daily cadence: today, last, next or a date'
complete -c async -n '__async_at checkin' -s m -l message -x -d 'Body text (skips the editor)'
complete -c async -n '__async_at checkin' -l file -r -F -d 'Body or whole check-in from PATH, or - for stdin'
complete -c async -n '__async_at checkin' -s e -l edit -d 'Open the editor even with -m or --file'
complete -c async -n '__async_at checkin' -l no-edit -d 'Write the pre-filled template without the editor'
complete -c async -n '__async_at checkin digest' -l format -x -a 'markdown html' -d 'The format'
complete -c async -n '__async_at checkin digest' -s o -l output -r -F -d 'Write to FILE instead of standard output'
# async publish [-o DIR] [--title T] [--base-url URL]
complete -c async -n '__async_at publish' -s o -l output -x -a '(__fish_complete_directories)' -d 'Folder to write the site into'
complete -c async -n '__async_at publish' -l title -x -d 'Site title'
complete -c async -n '__async_at publish' -l base-url -x -d 'URL the site is served from'

# async agenda [--days N]
complete -c async -n '__async_at agenda' -l days -x -d 'How many days ahead, today included'
complete -c async -n '__async_at agenda' -l team -x -a '(__async_complete teams)' -d 'Only the team\'s deadlines and absences'

# async away [FROM..TO [--note TEXT]] [--clear [DATE]] [--all]
complete -c async -n '__async_at away' -l note -x -d 'A line about the absence'
complete -c async -n '__async_at away' -l clear -d 'Remove my absence on DATE, or all from today on'
complete -c async -n '__async_at away' -l all -d 'List everyone\'s absences'

# async calendar [-o FILE] [--mine]
complete -c async -n '__async_at calendar' -s o -l output -r -F -d 'Write to FILE instead of standard output'
complete -c async -n '__async_at calendar' -l mine -d 'Only deadlines I owe or asked for, and my actions'
complete -c async -n '__async_at calendar' -l team -x -a '(__async_complete teams)' -d 'Only the team\'s deadlines and absences'

# async remind [--mail] [--dry-run]
complete -c async -n '__async_at remind' -l mail -d 'Send one message per person through sendmail'
complete -c async -n '__async_at remind' -l dry-run -d 'Print the messages, send and record nothing'

# --wide on every command that prints a table
complete -c async -n '__async_at list; or __async_at links; or __async_at actions; or __async_at decisions; or __async_at inbox; or __async_at agenda; or __async_at away; or __async_at remind; or __async_at checkin status; or __async_at meeting status; or __async_at doc status' -l wide -d 'Print whole lines, never cut to the terminal\'s width'
