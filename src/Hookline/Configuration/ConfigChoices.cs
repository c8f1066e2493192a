using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace Hookline.Configuration;

/// <summary>What a source in <c>sources:</c> is.</summary>
public enum SourceType
{
    Imap,
    Smtp,
    Graph,
    Folder,
}

/// <summary>How a connection to a mail server is protected: TLS from the start, STARTTLS, or not at all.</summary>
public enum TransportSecurity
{
    Tls,
    StartTls,
    None,
}

/// <summary>How Hookline signs in to a mail server.</summary>
public enum AuthMechanism
{
    /// <summary>The best the server offers for a user and password.</summary>
    Auto,
    Plain,
    Login,

    /// <summary>OAuth 2.0: the password holds the access token.</summary>
    XOAuth2,
}

/// <summary>
/// Reads the configuration's choices (<see cref="SourceType"/>, <see cref="TransportSecurity"/>,
/// <see cref="AuthMechanism"/>) from their lower-case names, in any case, and refuses any other word
/// where it stands in the file: "'ssl' is not one of tls, starttls, none" with its line and column.
/// This is the one place those words are parsed.
/// </summary>
internal sealed class ConfigChoiceConverter : IYamlTypeConverter
{
    private static readonly Type[] Choices = [typeof(SourceType), typeof(TransportSecurity), typeof(AuthMechanism)];

    public bool Accepts(Type type) => Array.IndexOf(Choices, Nullable.GetUnderlyingType(type) ?? type) >= 0;

    public object? ReadYaml(IParser parser, Type type, ObjectDeserializer rootDeserializer)
    {
        var scalar = parser.Consume<Scalar>();
        var choice = Nullable.GetUnderlyingType(type) ?? type;
        if (Nullable.GetUnderlyingType(type) is not null && scalar.Value.Length == 0)
        {
            return null;
        }

        foreach (var name in Enum.GetNames(choice))
        {
            if (string.Equals(name, scalar.Value, StringComparison.OrdinalIgnoreCase))
            {
                return Enum.Parse(choice, name);
            }
        }

        throw new YamlException(scalar.Start, scalar.End, $"'{scalar.Value}' is not one of {string.Join(", ", Enum.GetNames(choice).Select(Name))}");
    }

    public void WriteYaml(IEmitter emitter, object? value, Type type, ObjectSerializer serializer) =>
        emitter.Emit(new Scalar(value is null ? string.Empty : Name(value.ToString()!)));

    /// <summary>The word the file uses for a choice.</summary>
    public static string Name(string choice) => choice.ToLowerInvariant();
}
