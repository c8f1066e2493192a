using System.CommandLine;
using Hookline.Mime;
using Hookline.Mime.Diagnostics;

namespace Hookline.Cli;

/// <summary>`hookline parse PATH...`: the MIME structure of each file, with every warning; nothing is stored.</summary>
internal static class ParseCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("path") { Description = "Message files, or folders (every file below them, in ordinal path order).", Arity = ArgumentArity.OneOrMore };
        var headersOnly = new Option<bool>("--headers-only") { Description = "Read only the top header block." };
        var command = new Command("parse", "Show how a message parses (.eml, Outlook .msg or TNEF): its entity tree, byte ranges, decoded sizes and warnings.") { paths, headersOnly };
        command.SetAction(result =>
        {
            var files = InputFiles.Expand(result.GetValue(paths)!, out var missing);
            foreach (var path in missing)
            {
                Console.Error.WriteLine($"hookline: no such file or folder: {path}");
            }

            foreach (var file in files)
            {
                Console.Out.WriteLine($"# {file}");
                try
                {
                    var bytes = File.ReadAllBytes(file);
                    var format = MailFile.Detect(bytes);
                    if (format != MailFormat.Mime)
                    {
                        Console.Out.WriteLine($"format: {format} (MIME synthesized from it)");
                    }

                    var message = result.GetValue(headersOnly) && format == MailFormat.Mime ? MimeMessage.ParseHeaders(bytes) : MailFile.Read(bytes);
                    Console.Out.Write(MimeStructure.Describe(message));
                }
                catch (IOException e)
                {
                    Console.Out.WriteLine($"error: {e.Message}");
                }
                catch (UnauthorizedAccessException e)
                {
                    Console.Out.WriteLine($"error: {e.Message}");
                }
            }

            return missing.Count > 0 ? 2 : 0;
        });
        return command;
    }
}
