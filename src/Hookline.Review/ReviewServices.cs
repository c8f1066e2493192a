using Hookline.Review.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace Hookline.Review;

/// <summary>The review side's registration: marking reports and the accounts that may.</summary>
public static class ReviewServices
{
    /// <summary>
    /// <see cref="ReviewService"/> (one place that validates and records a mark, and queues the reporter's
    /// result), when a result can be delivered (<paramref name="delivery"/>), and the accounts. Needs
    /// <see cref="Storage.StorageServices.AddHooklineStorage"/> and
    /// <see cref="Notify.NotificationServices.AddHooklineNotifications"/>.
    /// </summary>
    public static IServiceCollection AddHooklineReview(this IServiceCollection services, ResultDeliveryOptions delivery)
    {
        services.AddSingleton(delivery);
        services.AddSingleton<ResultDelivery>();
        services.AddSingleton<ReviewService>();
        services.AddSingleton<AccountService>();
        return services;
    }
}
