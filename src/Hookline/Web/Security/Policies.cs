using Hookline.Storage.Model;
using Microsoft.AspNetCore.Authorization;

namespace Hookline.Web.Security;

/// <summary>Authorization policies by least role: reader ⊂ analyst ⊂ admin.</summary>
internal static class Policies
{
    public const string Reader = "reader";
    public const string Analyst = "analyst";
    public const string Admin = "admin";

    public static void Add(AuthorizationOptions options)
    {
        foreach (var role in Roles.All)
        {
            options.AddPolicy(role, policy => policy.RequireAuthenticatedUser().RequireAssertion(context =>
                context.User.Claims.Any(c => c.Type == System.Security.Claims.ClaimTypes.Role && Roles.AtLeast(c.Value, role))));
        }
    }
}
