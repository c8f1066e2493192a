using Hookline.Mime;
using Hookline.Mime.Addresses;

namespace Hookline.Reports.Analysis.Senders;

/// <summary>
/// The sender as a person sees it: the first From mailbox that has an address, with the whole display
/// text before it as its name. Phishing often writes an unquoted comma in the display name
/// (<c>Microsoft account team ,_&lt;no-reply@x.example&gt;</c>); RFC 5322 reads that as a name-only
/// mailbox followed by the real one, while mail clients (and MimeKit) show one sender named
/// "Microsoft account team ,_". Taking the first mailbox would lose the address and its domain.
/// </summary>
public static class DisplayedSender
{
    public static MailboxAddress? Of(MimeMessage message) => Of(message.From);

    public static MailboxAddress? Of(IReadOnlyList<InternetAddress> from) => Of(from, out _);

    /// <summary>The displayed sender; <paramref name="fragments"/> counts the name-only pieces merged into its name.</summary>
    public static MailboxAddress? Of(IReadOnlyList<InternetAddress> from, out int fragments)
    {
        fragments = 0;
        var list = AddressParser.Flatten(from);
        for (var i = 0; i < list.Count; i++)
        {
            var mailbox = list[i];
            if (mailbox.Domain.Length == 0)
            {
                continue;
            }

            if (i == 0)
            {
                return mailbox;
            }

            fragments = i;
            var parts = new List<string>(i + 1);
            for (var j = 0; j < i; j++)
            {
                var piece = string.IsNullOrEmpty(list[j].Name) ? list[j].Address : list[j].Name;
                if (!string.IsNullOrWhiteSpace(piece))
                {
                    parts.Add(piece.Trim());
                }
            }

            if (!string.IsNullOrWhiteSpace(mailbox.Name))
            {
                parts.Add(mailbox.Name.Trim());
            }

            return new MailboxAddress(parts.Count == 0 ? null : string.Join(", ", parts), mailbox.LocalPart, mailbox.Domain, mailbox.Address, mailbox.Route);
        }

        return null;
    }
}
