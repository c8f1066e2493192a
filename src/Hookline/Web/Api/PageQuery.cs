namespace Hookline.Web.Api;

/// <summary>Paging bounds shared by the lists.</summary>
internal static class PageQuery
{
    /// <summary>The highest page number taken; a larger one shows this page (empty), never an overflowing offset.</summary>
    public const int MaxPage = 1_000_000;
}
