using Hookline.Reports.Recognition;

namespace Hookline.Reports.Analysis.Forwards;

/// <summary>
/// A message that is itself a forward ("Fw:", "Fwd:", "WG:", …) with the forwarded message quoted in
/// its body, and nothing attached: the quoted message is recovered (the same recognition as a report's
/// inline forward) and analysed as an attached message, so that its sender, links and text count. A
/// colleague who forwards a phish inline should not lend it the colleague's own authentication.
/// Signal: <c>message.inline-forward</c> (a fact, no weight). Runs after the attachment stage.
/// </summary>
public sealed class InlineForwardAnalyzer : IMessageAnalyzer
{
    public void Analyze(AnalysisContext context)
    {
        var result = context.Result;
        if (result.AttachedMessages.Count > 0 || !ReportSubject.Parse(context.Message.Subject).IsForward)
        {
            return;
        }

        var message = context.Message;
        var report = ReportReader.Read(message, message.GetRawBytes());
        if (report is not { Originals: [{ IsRecoveredFromForward: true } original] } || context.AnalyzeAttached(original.Message) is not { } quoted)
        {
            return;
        }

        result.AttachedMessages.Add(quoted);
        var from = Senders.DisplayedSender.Of(original.Message)?.Address ?? "an unknown sender";
        result.Add("message.inline-forward", $"the message forwards one from {from} in its body; the forwarded message was analysed too");
    }
}
