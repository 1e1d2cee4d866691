import factory
from allauth.account.models import EmailAddress

from companies.models import CompanyManager, HostCompany
from jip.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", "a-Long-Password-4-tests")

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        self.save()
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class HostCompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HostCompany

    name_en = factory.Sequence(lambda n: f"Company {n} Co., Ltd.")
    name_ja = factory.Sequence(lambda n: f"株式会社カンパニー{n}")
    corporate_number = factory.Sequence(lambda n: f"{n:013d}")


class CompanyManagerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompanyManager

    company = factory.SubFactory(HostCompanyFactory)
    user = factory.SubFactory(UserFactory)
