using System.CommandLine;
using Hookline.Cli;

var root = new RootCommand("Hookline: triage of the suspicious emails that employees report.");
root.Subcommands.Add(AnalyzeCommand.Create());
root.Subcommands.Add(ParseCommand.Create());
root.Subcommands.Add(IngestCommand.Create());
root.Subcommands.Add(ReprocessCommand.Create());
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(UsersCommand.CreateUsers());
root.Subcommands.Add(UsersCommand.CreateKeys());
root.Options.Add(DataOption.Instance);
return await root.Parse(args).InvokeAsync();
