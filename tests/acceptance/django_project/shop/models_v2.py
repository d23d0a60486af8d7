"""The shop's models, second version: fields altered, one added, an index (drive.py copies it to models.py)."""

from django.db import models


class Customer(models.Model):
    email = models.EmailField(unique=True)
    name = models.CharField(max_length=200)  # was 100
    joined = models.DateTimeField()
    vip = models.BooleanField(default=False)  # new, with a default for the existing rows


class Product(models.Model):
    sku = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=100, db_index=True)  # indexed now
    price = models.DecimalField(max_digits=12, decimal_places=3)  # was 10, 2
    active = models.BooleanField(default=True)


class Order(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="orders")
    placed = models.DateTimeField()
    note = models.TextField(blank=True, null=True)  # nullable now

    class Meta:
        # A list in Meta, as Django's documentation writes it (RUF012 expects a ClassVar).
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(fields=["customer", "placed"], name="order_customer_placed_uniq"),
        ]


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="lines")
    quantity = models.PositiveBigIntegerField()  # was PositiveIntegerField
    unit_price = models.DecimalField(max_digits=10, decimal_places=2)
