namespace Hookline.Testing;

/// <summary>Marker for the shared test-support assembly (message generators, mutator).</summary>
public static class TestingAssembly
{
}
