"""Tags the wheel for its platform: it carries libmodelc_runtime.so (native code for one OS and
CPU) but no Python extension, so it is py3-none-<platform>, neither pure nor tied to a CPython ABI.
Tools/build-wheel.sh puts the library into the package before building."""
from setuptools import Distribution, setup
from setuptools.command.bdist_wheel import bdist_wheel


class NativeDistribution(Distribution):
    """Native code inside: the wheel's root is platlib, not purelib."""

    def has_ext_modules(self):
        return True


class PlatformWheel(bdist_wheel):
    def get_tag(self):
        return "py3", "none", super().get_tag()[2]


setup(distclass=NativeDistribution, cmdclass={"bdist_wheel": PlatformWheel})
