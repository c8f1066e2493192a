using System.CommandLine;
using Hookline.Cli;

var root = new RootCommand("Hookline: triage of the suspicious emails that employees report.");
root.Subcommands.Add(AnalyzeCommand.Create());
root.Subcommands.Add(ParseCommand.Create());
return await root.Parse(args).InvokeAsync();
