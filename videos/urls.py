"""The library pages."""

from django.urls import path

from videos import (
    add_views,
    artist_views,
    library_views,
    naming_views,
    profile_views,
    provider_views,
    source_views,
    stats_views,
    views,
)

urlpatterns = [
    path("", library_views.library, name="home"),
    path("library/view/", library_views.library_view_set, name="library-view"),
    path("videos/add/", views.video_add_page, name="video-add"),
    path("videos/import/", views.video_import, name="video-import"),
    path("videos/add/many/", add_views.video_add_many, name="video-add-many"),
    path("videos/add/import/", add_views.collection_import_view, name="collection-import"),
    path("videos/add/follow/", add_views.collection_follow_view, name="collection-follow"),
    path("videos/<int:video_id>/", views.video_detail_page, name="video-detail"),
    path("videos/<int:video_id>/file", views.video_file, name="video-file"),
    path("videos/<int:video_id>/artwork", views.video_artwork_view, name="video-artwork"),
    path("videos/<int:video_id>/tags/", views.video_tags_view, name="video-tags"),
    path("videos/<int:video_id>/delete/", views.video_delete_view, name="video-delete"),
    path("videos/<int:video_id>/url/", views.video_url_change, name="video-url"),
    path("videos/<int:video_id>/details/", views.video_details_change, name="video-details"),
    path("videos/<int:video_id>/resolve/", views.video_resolve_view, name="video-resolve"),
    path("videos/<int:video_id>/source/", views.video_source_view, name="video-source"),
    path("artists/", artist_views.artist_list_page, name="artist-list"),
    path("artists/<int:artist_id>/", artist_views.artist_detail_page, name="artist-detail"),
    path("artists/<int:artist_id>/artwork", views.artist_artwork_view, name="artist-artwork"),
    path("artists/<int:artist_id>/rename/", artist_views.artist_rename_view, name="artist-rename"),
    path("artists/<int:artist_id>/delete/", artist_views.artist_delete_view, name="artist-delete"),
    path("artists/<int:artist_id>/merge/", artist_views.artist_merge_view, name="artist-merge"),
    path(
        "artists/<int:artist_id>/monitor/", artist_views.artist_monitor_view, name="artist-monitor"
    ),
    path(
        "artists/<int:artist_id>/monitoring/",
        artist_views.artist_monitoring_view,
        name="artist-monitoring",
    ),
    path("profiles/", profile_views.profile_list_page, name="profile-list"),
    path("profiles/add/", profile_views.profile_add_page, name="profile-add"),
    path("profiles/<int:profile_id>/", profile_views.profile_edit_page, name="profile-edit"),
    path(
        "profiles/<int:profile_id>/default/",
        profile_views.profile_default_view,
        name="profile-default",
    ),
    path(
        "profiles/<int:profile_id>/delete/",
        profile_views.profile_delete_view,
        name="profile-delete",
    ),
    path(
        "artists/<int:artist_id>/sources/add/",
        artist_views.artist_source_add_view,
        name="artist-source-add",
    ),
    path("settings/naming/", naming_views.naming_page, name="naming-settings"),
    path("library/stats/", stats_views.library_stats_page, name="library-stats"),
    path("library/rename/", naming_views.rename_page, name="library-rename"),
    path("library/rename/apply/", naming_views.rename_apply_view, name="library-rename-apply"),
    path("sources/", source_views.source_list_page, name="source-list"),
    path("sources/<int:source_id>/edit/", source_views.source_edit_page, name="source-edit"),
    path("sources/<int:source_id>/delete/", source_views.source_delete_view, name="source-delete"),
    path("sources/<int:source_id>/index/", source_views.source_index_view, name="source-index"),
    # The metadata pages (videos/provider_views.py).
    path("imvdb/", provider_views.imvdb_search_page, name="imvdb-search"),
    path("imvdb/image", provider_views.imvdb_image, name="imvdb-image"),
    path("imvdb/artists/add/", provider_views.imvdb_artist_add, name="imvdb-artist-add"),
    path("imvdb/videos/add/", provider_views.imvdb_video_add, name="imvdb-video-add"),
    path(
        "videos/<int:video_id>/refresh-metadata/",
        provider_views.video_refresh_metadata_view,
        name="video-refresh-metadata",
    ),
    path(
        "artists/<int:artist_id>/refresh-metadata/",
        provider_views.artist_refresh_metadata_view,
        name="artist-refresh-metadata",
    ),
    path(
        "library/refresh-metadata/",
        provider_views.library_refresh_metadata_view,
        name="library-refresh-metadata",
    ),
    path("settings/providers/", provider_views.provider_settings_page, name="provider-settings"),
    path(
        "settings/providers/<str:name>/test/",
        provider_views.provider_test_view,
        name="provider-test",
    ),
]
