#pragma once
// async inbox triage: the interactive, one-item-at-a-time loop (single keys in a terminal).
namespace async::cmd {

class Context;

// Runs the triage loop on the terminal; throws Error{environment} when there is none, pointing
// to the non-interactive verbs. Every decision is written when its key is pressed.
void run_triage(Context& ctx);

} // namespace async::cmd
