using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Hookline.Notify.Tests;

/// <summary>Keeps the server's warnings and errors (or from a lower level), so that a test that times out can say what the server saw.</summary>
internal sealed class CollectedLogs(LogLevel minimum = LogLevel.Warning) : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly LogLevel _minimum = minimum;

    /// <summary>How many lines so far contain <paramref name="text"/>.</summary>
    public int Count(string text) => _lines.Count(l => l.Contains(text, StringComparison.Ordinal));

    public ILogger CreateLogger(string categoryName) => new Collector(this, categoryName);

    public override string ToString() => _lines.IsEmpty ? "(no warnings or errors logged)" : string.Join(Environment.NewLine, _lines.TakeLast(40));

    public void Dispose()
    {
    }

    private sealed class Collector(CollectedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= owner._minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner._lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : " — " + exception.GetType().Name + ": " + exception.Message)}");
            }
        }
    }
}
