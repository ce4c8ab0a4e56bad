from django.contrib import admin

from hamkor.booking.models import Booking, BookingPage


@admin.register(BookingPage)
class BookingPageAdmin(admin.ModelAdmin[BookingPage]):
    list_display = ("title", "slug", "schedule", "duration_minutes", "is_published")
    list_filter = ("is_published", "meeting_type")
    search_fields = ("title", "slug")


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin[Booking]):
    list_display = ("starts_at", "page", "name", "email", "phone", "status")
    list_filter = ("status", "channel")
    search_fields = ("name", "email", "phone")
    raw_id_fields = ("contact", "activity", "page")
    date_hierarchy = "starts_at"
